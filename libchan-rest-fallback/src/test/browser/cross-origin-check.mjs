// Cross-site WebSocket hijacking in a real browser (Debian's headless Chromium, through playwright-core):
// logs in to the application's own page (BASIC), which connects its WebSocket, then opens a page of
// another origin in the same browser, whose script tries the application's WebSockets with the
// credentials the browser now holds. Prints one JSON line on stdout:
//   {"sameOrigin": <#status of the own page>, "foreign": {<name>: "open" | "refused", ...},
//    "foreignConsole": [<the foreign page's console messages: Chromium names a refused handshake's status>]}
// Exit 0 when both pages ran to the end (whatever they found).
//
//   node cross-origin-check.mjs OWN_PAGE_URL FOREIGN_PAGE_URL USER PASSWORD
//
// The foreign page must set window.crossOrigin to a promise of {name: "open" | "refused"}.
// Chromium as in demo-check.mjs: LIBCHAN_CHROMIUM or /usr/bin/chromium, a fresh user-data-dir.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [own, foreign, username, password] = process.argv.slice(2);
if (!own || !foreign || !username) {
  console.error('usage: node cross-origin-check.mjs OWN_PAGE_URL FOREIGN_PAGE_URL USER PASSWORD');
  process.exit(64);
}
const executablePath = process.env.LIBCHAN_CHROMIUM || '/usr/bin/chromium';
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT = 20000;

const userDataDir = await mkdtemp(join(tmpdir(), 'libchan-chromium-'));
let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: flags, httpCredentials: { username, password },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => console.error('[own page] ' + m.text()));
  const response = await page.goto(own);
  if (!response.ok()) {
    throw new Error('GET ' + own + ': HTTP ' + response.status());
  }
  await page.waitForFunction(() => document.getElementById('status').textContent !== 'connecting…');
  const sameOrigin = await page.evaluate(() => document.getElementById('status').textContent);

  const other = await context.newPage();
  other.setDefaultTimeout(TIMEOUT);
  const foreignConsole = [];
  other.on('console', (m) => {
    foreignConsole.push(m.text());
    console.error('[foreign page] ' + m.text());
  });
  await other.goto(foreign);
  const result = await other.evaluate(() => window.crossOrigin);
  console.log(JSON.stringify({ sameOrigin, foreign: result, foreignConsole }));
} catch (e) {
  failed = true;
  console.error('cross-origin-check: ' + e.message);
} finally {
  if (context) {
    await context.close();
  }
  await rm(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
