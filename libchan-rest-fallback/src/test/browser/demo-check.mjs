// Drives a libchan demo page in headless Chromium (Debian's, through playwright-core): connect, send and
// get the reply, subscribe and get the pushed events, the same over the HTTP fallback; then, off screen,
// flow control past the credit window. Writes a screenshot and prints the page's results as one JSON
// line on stdout. Exit 0 when the page showed them all.
//
//   node demo-check.mjs PAGE_URL SCREENSHOT_PATH [USER PASSWORD]
//
// Used by libchan-rest-fallback's BrowserClientTest (its test page) and by it-tests' BrowserIT (the
// WAR's browser.html in WildFly). What a page must have:
//   - elements #status (leaves "connecting…" once the WebSocket is up), #send → #reply,
//     #subscribe → #events-status ("ended" at the end) and #events li, #call → #call-reply,
//     #call-events → #sse-status ("ended") and #sse-events li;
//   - window.libchanDemo = { client, webSocket, echo, events }: the URL of libchan.js, the WebSocket URL,
//     an endpoint answering a message with its fields, and one answering {topic, count, ret} with
//     {events} and pushing count events {event: i} on it.
// Chromium: LIBCHAN_CHROMIUM or /usr/bin/chromium (Debian's), with the flags below and a fresh
// user-data-dir, removed afterwards; USER/PASSWORD answer HTTP authentication (BASIC).
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, username, password] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node demo-check.mjs PAGE_URL SCREENSHOT_PATH [USER PASSWORD]');
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
    executablePath, headless: true, args: flags, viewport: { width: 900, height: 820 },
    httpCredentials: username ? { username, password } : undefined,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => console.error('[page] ' + m.text()));
  page.on('pageerror', (e) => console.error('[page error] ' + e.message));
  try {
    const response = await page.goto(url);
    if (!response.ok()) {
      throw new Error('GET ' + url + ': HTTP ' + response.status());
    }
    await page.waitForFunction(() => document.getElementById('status').textContent !== 'connecting…');

    await page.click('#send');
    await page.waitForFunction(() => document.getElementById('reply').textContent.length > 0);
    await page.click('#subscribe');
    await page.waitForFunction(() => document.getElementById('events-status').textContent === 'ended');
    await page.click('#call');
    await page.waitForFunction(() => document.getElementById('call-reply').textContent.length > 0);
    await page.click('#call-events');
    await page.waitForFunction(() => document.getElementById('sse-status').textContent === 'ended');

    // flow control (PROTOCOL.md 13.4.3) both ways, past the 64-message window: 200 requests on one
    // channel (the browser waits for the server's credit), then 300 events pushed to the browser
    // (the server waits for the browser's credit)
    const flow = await page.evaluate(async () => {
      const demo = window.libchanDemo;
      const { connect } = await import(demo.client);
      const session = await connect(demo.webSocket);
      const echo = session.open(demo.echo);
      const replies = [];
      for (let i = 0; i < 200; i++) {
        const ret = session.replyChannel();
        await echo.send({ n: i, ret });
        replies.push(ret.receive());
      }
      const answered = (await Promise.all(replies)).filter((r, i) => r.n === i).length;
      await echo.close();
      const events = session.open(demo.events);
      const ret = session.replyChannel();
      await events.send({ topic: 'flood', count: 300, ret });
      const reply = await ret.receive();
      let pushed = 0;
      for await (const e of reply.events) {
        if (e.event === pushed) {
          pushed++;
        }
      }
      await events.close();
      session.close();
      return { answered, pushed };
    });

    await page.screenshot({ path: screenshot, fullPage: true });
    const dom = await page.evaluate(() => {
      const t = (id) => document.getElementById(id).textContent;
      const items = (id) => [...document.querySelectorAll('#' + id + ' li')].map((li) => li.textContent);
      return {
        status: t('status'), reply: t('reply'), eventsStatus: t('events-status'), events: items('events'),
        callReply: t('call-reply'), sseStatus: t('sse-status'), sseEvents: items('sse-events'),
      };
    });
    dom.flow = flow;
    console.log(JSON.stringify(dom));
  } catch (e) {
    failed = true;
    console.error('demo-check: ' + e.message);
    try {
      // what the page showed when it failed: the screenshot, and its text on stderr
      await page.screenshot({ path: screenshot, fullPage: true });
      console.error('demo-check: page at failure: ' + (await page.evaluate(() => document.body.innerText)));
    } catch (ignored) {
      // the page is gone
    }
  }
} catch (e) {
  failed = true;
  console.error('demo-check: cannot start Chromium: ' + e.message);
} finally {
  if (context) {
    await context.close();
  }
  await rm(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
