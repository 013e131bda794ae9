// Opens one channel with libchan.js's Session.open(name, { traceparent, tracestate }) and sends one
// message on it, then closes the session: run by LibchanJsTraceTest with node's WebSocket
// (node 20: --experimental-websocket).
//   node --experimental-websocket open-with-trace.mjs <libchan.js path> <ws url> <traceparent> <tracestate>
import { pathToFileURL } from 'node:url';

const [libchanJs, url, traceparent, tracestate] = process.argv.slice(2);
const { connect } = await import(pathToFileURL(libchanJs).href);
const session = await connect(url);
const traced = session.open('traced', { traceparent, tracestate });
await traced.send({ n: 1 });
const plain = session.open('plain');
await plain.send({ n: 2 });
console.log('sent');
process.exit(0); // the session stays open: the test's server ends it
