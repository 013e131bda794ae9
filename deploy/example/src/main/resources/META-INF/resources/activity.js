// The activity chart: messages per second and open sessions, read once a second from the server's
// /metrics (Prometheus text). Only the embedded demo serves /metrics beside this page; where there is
// none (the WAR on WildFly: its metrics are the server's), the section stays hidden. No library, no
// network beyond this origin: the page works offline.
(function () {
  'use strict';
  var POINTS = 60;
  var METRICS = 'metrics'; // relative to this page
  var rates = [];
  var sessions = [];
  var last = null;

  // Sums the samples of each metric name (all label sets) of a Prometheus text exposition.
  function parse(text) {
    var sums = {};
    text.split('\n').forEach(function (line) {
      if (!line || line.charAt(0) === '#') { return; }
      var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
      if (m) { sums[m[1]] = (sums[m[1]] || 0) + parseFloat(m[3]); }
    });
    return sums;
  }

  function has(sums, name) { return Object.prototype.hasOwnProperty.call(sums, name); }

  // libchan's own instruments when the library reports them, else the demo's (endpoint calls, served sessions).
  function messages(sums) {
    if (has(sums, 'libchan_messages_received_total') || has(sums, 'libchan_messages_sent_total')) {
      return { total: (sums.libchan_messages_received_total || 0) + (sums.libchan_messages_sent_total || 0), label: 'messages/s (in + out)' };
    }
    return { total: sums.libchan_demo_calls_total || 0, label: 'endpoint calls/s' };
  }

  function openSessions(sums) {
    return has(sums, 'libchan_sessions_open') ? sums.libchan_sessions_open : (sums.libchan_demo_sessions_open || 0);
  }

  function push(series, value) {
    series.push(value);
    if (series.length > POINTS) { series.shift(); }
  }

  function line(ctx, series, max, color, w, h) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    series.forEach(function (v, i) {
      var x = w - (series.length - 1 - i) * (w / (POINTS - 1));
      var y = h - 4 - (max > 0 ? v / max : 0) * (h - 20);
      if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
    });
    ctx.stroke();
  }

  function draw(label) {
    var canvas = document.getElementById('chart');
    var ctx = canvas.getContext('2d');
    var w = canvas.width;
    var h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = '#ddd';
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    // each series on its own scale: a rate in the thousands must not flatten a handful of sessions
    line(ctx, rates, Math.max.apply(null, rates.concat([1])), '#1f6feb', w, h);
    line(ctx, sessions, Math.max.apply(null, sessions.concat([1])), '#d97706', w, h);
    var rate = rates.length ? rates[rates.length - 1] : 0;
    var open = sessions.length ? sessions[sessions.length - 1] : 0;
    document.getElementById('rate').textContent = label + ': ' + rate.toFixed(1);
    document.getElementById('sessions').textContent = 'open sessions: ' + open;
  }

  function poll() {
    fetch(METRICS, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error('no metrics here (' + r.status + ')'); }
      return r.text();
    }).then(function (text) {
      var sums = parse(text);
      var now = Date.now();
      var m = messages(sums);
      if (last !== null && now > last.at) {
        push(rates, Math.max(0, (m.total - last.total) * 1000 / (now - last.at)));
        push(sessions, openSessions(sums));
      }
      last = { at: now, total: m.total };
      document.getElementById('activity').hidden = false;
      draw(m.label);
      setTimeout(poll, 1000);
    }, function () {
      if (last !== null) { setTimeout(poll, 5000); } // it was there: the server may come back
    });
  }

  poll();
}());
