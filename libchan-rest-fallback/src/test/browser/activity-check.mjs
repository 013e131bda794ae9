// Opens the example's page (deploy/example's index.html, as the embedded demo serves it beside its
// /metrics) in headless Chromium (Debian's, through playwright-core) and waits until its activity chart
// shows messages flowing: the section is shown, its rate reads "messages/s (in + out): N" with N > 0 and
// the rate's line is drawn on the canvas, while the Java test keeps sending messages. Writes a screenshot and prints the rate and sessions
// texts as one JSON line on stdout. Exit 0 when the chart showed a rate above 0.
//
//   node activity-check.mjs PAGE_URL SCREENSHOT_PATH
//
// Used by deploy/embedded's EmbeddedChartBrowserTest. Chromium as in demo-check.mjs.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node activity-check.mjs PAGE_URL SCREENSHOT_PATH');
  process.exit(64);
}
const executablePath = process.env.LIBCHAN_CHROMIUM || '/usr/bin/chromium';
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// the page polls /metrics once a second and needs two polls for a rate: generous for a loaded machine
const TIMEOUT = 60000;

const userDataDir = await mkdtemp(join(tmpdir(), 'libchan-chromium-'));
let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: flags, viewport: { width: 900, height: 820 },
  });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForSelector('#activity:not([hidden])', { timeout: TIMEOUT });
    await page.waitForFunction(() => {
      const m = /^messages\/s \(in \+ out\): (\S+)$/.exec(document.getElementById('rate').textContent);
      return m !== null && parseFloat(m[1]) > 0;
    }, null, { timeout: TIMEOUT });
    // and the rate's line is drawn (activity.js strokes it in #1f6feb once it has two points)
    await page.waitForFunction(() => {
      const canvas = document.getElementById('chart');
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] === 0x1f && px[i + 1] === 0x6f && px[i + 2] === 0xeb && px[i + 3] > 0) {
          return true;
        }
      }
      return false;
    }, null, { timeout: TIMEOUT, polling: 500 });
    await page.screenshot({ path: screenshot, fullPage: true });
    const shown = await page.evaluate(() => ({
      rate: document.getElementById('rate').textContent,
      sessions: document.getElementById('sessions').textContent,
    }));
    console.log(JSON.stringify(shown));
  } catch (e) {
    failed = true;
    console.error('activity-check: ' + e.message);
    try {
      await page.screenshot({ path: screenshot, fullPage: true });
      console.error('activity-check: page at failure: ' + (await page.evaluate(() => document.body.innerText)));
    } catch (ignored) {
      // the page is gone
    }
  }
} catch (e) {
  failed = true;
  console.error('activity-check: cannot start Chromium: ' + e.message);
} finally {
  if (context) {
    await context.close();
  }
  await rm(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
