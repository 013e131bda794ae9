// The worker pool page: watches the board (one event stream, a snapshot per change) and submits jobs.
(function () {
  'use strict';
  var LIBCHAN = 'libchan'; // the libchan endpoint, relative to this page (the WAR's context root, or /)

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function row(cells) {
    var tr = el('tr');
    cells.forEach(function (c) { tr.appendChild(c instanceof Node ? wrap(c) : el('td', c)); });
    return tr;
  }

  function wrap(node) {
    var td = el('td');
    td.appendChild(node);
    return td;
  }

  function render(board) {
    var workers = document.getElementById('workers');
    workers.replaceChildren();
    board.workers.forEach(function (w) {
      workers.appendChild(row([w.name, w.via, w.state + (w.job ? ' (job ' + w.job + ')' : ''), w.done]));
    });
    if (!board.workers.length) { workers.appendChild(row(['no worker registered', '', '', ''])); }
    var jobs = document.getElementById('jobs');
    jobs.replaceChildren();
    board.jobs.forEach(function (j) {
      var bar = el('progress');
      bar.max = 100;
      bar.value = j.percent;
      var outcome = j.error ? el('span', j.error, 'error') : el('span', j.result === null ? '' : JSON.stringify(j.result));
      jobs.appendChild(row([j.id, j.task, j.worker || '', j.state, bar, outcome]));
    });
  }

  function status(text) {
    document.getElementById('status').textContent = text;
  }

  function watch() {
    status('watching the pool');
    LibchanHttp.stream(LIBCHAN, 'board', {}, function (kind, data) {
      if (kind === 'message' && data.channel === 0) { render(data.message); }
    }).then(function () {
      status('the board stream ended; watching again in 2 s');
    }, function (e) {
      status('cannot watch the pool (' + e.message + '); trying again in 2 s');
    }).then(function () {
      setTimeout(watch, 2000);
    });
  }

  document.getElementById('submit').addEventListener('submit', function (event) {
    event.preventDefault();
    var task = document.getElementById('task').value;
    var answer = document.getElementById('answer');
    answer.textContent = 'submitted...';
    LibchanHttp.call(LIBCHAN, 'jobs', {task: task}).then(function (reply) {
      answer.textContent = JSON.stringify(reply);
    }, function (e) {
      answer.textContent = e.message;
    });
  });

  watch();
})();
