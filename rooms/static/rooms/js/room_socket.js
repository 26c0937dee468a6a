// The room connection shared by the live classroom and study circles (docs/live-protocol.md).
// It reconnects by itself with a growing, jittered delay, says hello with the last sequence
// number it saw (the server replays what was missed), and resends messages sent while offline
// with their ids, so that each is stored once.

function newId() {
  return (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : Date.now().toString(36) + Math.random().toString(36).slice(2);
}

// A reconnecting socket can receive a new message live before the replay of older ones, so
// chat items (each with data-seq) go in by sequence number, not by arrival.
export function insertBySeq(list, item) {
  var seq = Number(item.dataset.seq), next = null;
  for (var node = list.lastElementChild; node && Number(node.dataset.seq) > seq; node = node.previousElementSibling) {
    next = node;
  }
  list.insertBefore(item, next);
}

// path: "/ws/live/3/"; options.receive(frame), options.status(text, state),
// options.finalMessages: close code → the words to show when the server will not take us.
export function openRoomSocket(path, options) {
  var socket = null, attempts = 0, connected = false, stopped = false;
  var outbox = [];   // frames that must arrive, kept until acknowledged
  var api = {lastSeq: 0, newId: newId};

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + path);
    socket.onopen = function () {
      attempts = 0;
      connected = true;
      options.status("open");
      send({type: "hello", data: {last_seq: api.lastSeq}});
      outbox.forEach(function (frame) { socket.send(JSON.stringify(frame)); });
    };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function (event) {
      connected = false;
      var final = options.finalMessages[event.code];
      if (final) { stopped = true; options.status("final", final); return; }
      if (stopped) return;
      options.status("reconnecting");
      var delay = Math.min(30000, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      setTimeout(connect, delay);
    };
  }

  function receive(frame) {
    if (frame.seq && frame.seq > api.lastSeq) api.lastSeq = frame.seq;
    if (frame.type === "batch") { frame.frames.forEach(receive); return; }
    if (frame.type === "ack" || frame.type === "error") {
      outbox = outbox.filter(function (queued) { return queued.id !== frame.ref; });
    }
    options.receive(frame);
  }

  function send(frame) {
    if (connected) socket.send(JSON.stringify(frame));
  }

  api.connected = function () { return connected; };
  api.pending = function () { return outbox.length; };
  // Fire and forget: a command that makes no sense after a reconnect. It goes without an id,
  // so the server sends no ack for it (an error still comes, with ref null): video signalling
  // sends dozens of ICE candidates, and nothing here waits for their acks.
  api.command = function (type, data) { send({type: type, data: data || {}}); };
  // Must arrive: kept and resent until the server acknowledges it.
  api.deliver = function (type, data) {
    var frame = {type: type, id: newId(), data: data || {}};
    outbox.push(frame);
    send(frame);
    return connected;
  };
  // After a resync the snapshot is the truth; the caller forgets what it showed.
  api.reset = function (seq) { api.lastSeq = seq; };
  api.drop = function () { if (socket) socket.close(); };
  api.start = connect;
  return api;
}
