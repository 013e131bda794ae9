'use strict';
// Edge checks of a jschan client against an echo server (the protocol of echo-server.js and of
// our EchoService), one check per run.
// usage: node --no-deprecation -r ./shim.js edges-client.js <spdy|spdy-tls> <port> <check>
//   pushed-channel  writes into a channel the server created: a ReadChannel of ours sent inside an
//                   array comes back as a WriteChannel (a stream the server pushed); what we write
//                   there must come out of our ReadChannel unchanged
//   pushed-stream   the same with a ByteStream inside a nested map
//   big-reply       a reply too big for one TLS record is refused (an error reply), one just under
//                   it arrives whole
//   burst           100 requests of 8,000 bytes at once; every reply arrives whole
// Prints PASS/FAIL lines; exits 0 when the check passed, 1 when it failed, 2 when jschan crashed.
// JSCHAN=<path to a jschan package> selects another install (e.g. node010/)
var jschan = require(process.env.JSCHAN || 'jschan');
var transport = process.argv[2], port = +process.argv[3], check = process.argv[4];
var host = '127.0.0.1';

process.on('uncaughtException', function (e) {
  console.log('FAIL ' + check + ': jschan crashed: ' + (e && (e.name + ' ' + e.message)));
  process.exit(2);
});

var session = jschan.spdyClientSession(transport === 'spdy'
  ? { host: host, port: port, spdy: { plain: true, ssl: false } } : { host: host, port: port });
session.on('error', function (e) { console.log('session error ' + (e && e.message)); });
var chan = session.WriteChannel();

var finished = false;
function done(ok, detail) {
  if (finished) return;
  finished = true;
  console.log((ok ? 'PASS ' : 'FAIL ') + check + (detail === undefined ? '' : ' ' + JSON.stringify(detail)));
  setTimeout(function () { process.exit(ok ? 0 : 1); }, 100);
}

function repeat(c, n) {
  return new Array(n + 1).join(c);
}

var checks = {
  'pushed-channel': function () {
    var ret = chan.ReadChannel(), mine = chan.ReadChannel(), got = [];
    mine.on('data', function (m) { got.push(m); });
    mine.on('end', function () {
      done(JSON.stringify(got) === JSON.stringify([{ n: 1 }, { n: 2, s: 'two' }]), got);
    });
    ret.on('data', function (r) {
      var pushed = r.list && r.list[0];
      if (!pushed || !pushed.write) return done(false, 'no channel in the reply: ' + JSON.stringify(r));
      pushed.write({ n: 1 });
      pushed.end({ n: 2, s: 'two' });
    });
    chan.write({ seq: 1, ret: ret, list: [mine] });
  },
  'pushed-stream': function () {
    var ret = chan.ReadChannel(), mine = chan.ByteStream(), got = [];
    var text = 'bytes written into a stream the server pushed';
    mine.on('data', function (d) {
      got.push(d);
      var all = Buffer.concat(got).toString('binary');
      if (all.length >= text.length) done(all === text, all);
    });
    ret.on('data', function (r) {
      var pushed = r.map && r.map.inner;
      if (!pushed || !pushed.write) return done(false, 'no stream in the reply: ' + JSON.stringify(r));
      pushed.write(new Buffer(text));
    });
    chan.write({ seq: 2, ret: ret, map: { inner: mine } });
  },
  'big-reply': function () {
    var under = repeat('u', 16300), over = repeat('o', 16400), replies = {};
    function ask(seq, body) {
      var ret = chan.ReadChannel();
      ret.on('data', function (r) {
        replies[seq] = r;
        if (replies[1] && replies[2]) {
          var ok = replies[1].body === under && replies[2].error && /large/i.test(JSON.stringify(replies[2].error));
          done(!!ok, { underLength: (replies[1].body || '').length, over: replies[2].error || 'a reply of ' + (replies[2].body || '').length });
        }
      });
      chan.write({ seq: seq, body: body, ret: ret });
    }
    ask(1, under);
    ask(2, over);
  },
  burst: function () {
    var n = 100, left = n, bad = [];
    for (var i = 0; i < n; i++) {
      (function (seq) {
        var ret = chan.ReadChannel(), body = repeat(String.fromCharCode(97 + seq % 26), 8000);
        ret.on('data', function (r) {
          if (r.seq !== seq || r.body !== body) bad.push(seq);
          if (--left === 0) done(bad.length === 0, bad.length ? { wrong: bad } : n + ' replies');
        });
        chan.write({ seq: seq, body: body, ret: ret });
      })(i);
    }
  }
};

if (!checks[check]) {
  console.log('unknown check ' + check);
  process.exit(1);
}
checks[check]();
