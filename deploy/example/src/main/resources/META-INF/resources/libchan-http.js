// A tiny client of libchan's HTTP/1.1 fallback (libchan-undertow/PROTOCOL-http.md, section 6), for
// pages served next to a libchan endpoint. Plain fetch, no dependencies; a proper browser client
// (WebSocket, nested channels both ways) is another module's job.
//
//   LibchanHttp.call('libchan', 'hello', {name: 'web'})        -> Promise of the reply (null for 204)
//   LibchanHttp.stream('libchan', 'board', {}, onEvent, signal) -> Promise resolved when the stream ends
//
// call() posts one message to <base>/call/<name> and resolves with the first message sent on its
// ret; an error reply ({"error": {...}}) is a normal reply. stream() asks for text/event-stream and
// calls onEvent(kind, data) for every Server-Sent Event: kind "message" with data {channel, message},
// "end" with {channel}, "error" with {channel, error}; channel 0 is the reply channel, 1, 2... the
// Receivers found in messages, in order of appearance.
var LibchanHttp = (function () {
  'use strict';

  function url(base, name) {
    return base.replace(/\/$/, '') + '/call/' + encodeURIComponent(name);
  }

  function refused(response) {
    return response.text().then(function (body) {
      throw new Error('HTTP ' + response.status + ': ' + body);
    });
  }

  function call(base, name, message) {
    return fetch(url(base, name), {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify(message)
    }).then(function (response) {
      if (response.status === 204) { return null; }
      return response.ok ? response.json() : refused(response);
    });
  }

  function stream(base, name, message, onEvent, signal) {
    return fetch(url(base, name), {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Accept': 'text/event-stream'},
      body: JSON.stringify(message),
      signal: signal
    }).then(function (response) {
      if (!response.ok) { return refused(response); }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var pending = '';
      function dispatch(block) {
        var kind = 'message', data = '';
        block.split('\n').forEach(function (line) {
          if (line.indexOf('event:') === 0) { kind = line.slice(6).trim(); }
          else if (line.indexOf('data:') === 0) { data += line.slice(5).trim(); }
        });
        if (data) { onEvent(kind, JSON.parse(data)); }
      }
      function read() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { return; }
          pending += decoder.decode(chunk.value, {stream: true}).replace(/\r/g, '');
          var end;
          while ((end = pending.indexOf('\n\n')) >= 0) {
            dispatch(pending.slice(0, end));
            pending = pending.slice(end + 2);
          }
          return read();
        });
      }
      return read();
    });
  }

  return {call: call, stream: stream};
})();
