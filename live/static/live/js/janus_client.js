// A small client for Janus's VideoRoom over its HTTP API (long-polled events): the instructor
// publishes once, each participant subscribes. Every request carries the token Django signed
// for this person and this class (live/janus.py); the room's pin comes with it.

const POLL_ERROR_PAUSE_MS = 1000;

function transactionId() {
  return Math.random().toString(36).slice(2, 14);
}

// Host candidates only here, no trickle: the SDP goes out when the browser has them all.
function gatheringComplete(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState === "complete") {
        pc.removeEventListener("icegatheringstatechange", done);
        resolve();
      }
    };
    pc.addEventListener("icegatheringstatechange", done);
    // Some networks never say "complete": what was gathered in 2 s is enough.
    setTimeout(resolve, 2000);
  });
}

export class JanusError extends Error {
  constructor(code, reason) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
  }
}

export class JanusRoom {
  constructor({ url, room, pin, token, display = "", iceServers = [] }) {
    this.url = url.replace(/\/$/, "");
    this.room = room;
    this.pin = pin;
    this.token = token;
    this.iceServers = iceServers;
    this.display = display;
    this.sessionId = null;
    this.pending = new Map(); // transaction → {resolve, reject}
    this.listeners = new Map(); // handle id → callback(event)
    this.closed = false;
    this.onpublishers = null; // callback(list of {id, streams}) when publishers appear
    this.onunpublished = null; // callback(feed id)
  }

  async post(path, body) {
    const response = await fetch(this.url + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ transaction: transactionId(), token: this.token, ...body }),
    });
    const answer = await response.json();
    if (answer.janus === "error") throw new JanusError(answer.error.code, answer.error.reason);
    return answer;
  }

  async open() {
    this.sessionId = (await this.post("", { janus: "create" })).data.id;
    this.poll();
    this.keepalive = setInterval(() => {
      this.post(`/${this.sessionId}`, { janus: "keepalive" }).catch(() => {});
    }, 25000);
    return this;
  }

  async poll() {
    while (!this.closed) {
      try {
        const query = `?maxev=10&rid=${Date.now()}&token=${encodeURIComponent(this.token)}`;
        const response = await fetch(`${this.url}/${this.sessionId}${query}`);
        const events = await response.json();
        for (const event of Array.isArray(events) ? events : [events]) this.dispatch(event);
      } catch (error) {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, POLL_ERROR_PAUSE_MS));
      }
    }
  }

  dispatch(event) {
    if (event.janus === "keepalive" || event.janus === "ack") return;
    const waiting = event.transaction && this.pending.get(event.transaction);
    if (waiting && event.janus !== "ack") {
      this.pending.delete(event.transaction);
      const data = event.plugindata && event.plugindata.data;
      if (event.janus === "error") waiting.reject(new JanusError(event.error.code, event.error.reason));
      else if (data && data.error_code) waiting.reject(new JanusError(data.error_code, data.error));
      else waiting.resolve(event);
      return;
    }
    const listener = this.listeners.get(event.sender);
    if (listener) listener(event);
  }

  async attach() {
    const answer = await this.post(`/${this.sessionId}`, {
      janus: "attach",
      plugin: "janus.plugin.videoroom",
    });
    return answer.data.id;
  }

  // A VideoRoom message whose answer arrives as an event (join, publish, start).
  message(handleId, body, jsep) {
    const transaction = transactionId();
    const answered = new Promise((resolve, reject) => {
      this.pending.set(transaction, { resolve, reject });
    });
    const request = { janus: "message", transaction, body };
    if (jsep) request.jsep = jsep;
    return this.post(`/${this.sessionId}/${handleId}`, request).then((ack) => {
      if (ack.janus === "success") {
        this.pending.delete(transaction);
        const data = ack.plugindata.data;
        if (data.error_code) throw new JanusError(data.error_code, data.error);
        return ack;
      }
      return answered;
    });
  }

  watchPublishers(handleId) {
    this.listeners.set(handleId, (event) => {
      const data = (event.plugindata && event.plugindata.data) || {};
      if (data.publishers && this.onpublishers) this.onpublishers(data.publishers);
      if (data.unpublished && this.onunpublished) this.onunpublished(data.unpublished);
    });
  }

  // Joins and publishes a camera or screen stream; resolves when Janus has answered.
  async publish(stream, { display = this.display } = {}) {
    const handleId = await this.attach();
    this.watchPublishers(handleId);
    await this.message(handleId, {
      request: "join",
      ptype: "publisher",
      room: this.room,
      pin: this.pin,
      token: this.token,
      display,
    });
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    for (const track of stream.getTracks()) {
      pc.addTransceiver(track, { direction: "sendonly", streams: [stream] });
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringComplete(pc);
    const answer = await this.message(
      handleId,
      { request: "publish", audio: true, video: true },
      { type: "offer", sdp: pc.localDescription.sdp },
    );
    await pc.setRemoteDescription(answer.jsep);
    this.publisher = { handleId, pc };
    return pc;
  }

  // Joins as a listener only (to hear of publishers without publishing).
  async listen() {
    const handleId = await this.attach();
    this.watchPublishers(handleId);
    const joined = await this.message(handleId, {
      request: "join",
      ptype: "publisher",
      room: this.room,
      pin: this.pin,
      token: this.token,
      display: this.display,
    });
    const publishers = joined.plugindata.data.publishers || [];
    if (publishers.length && this.onpublishers) this.onpublishers(publishers);
    return handleId;
  }

  // Subscribes to one publisher: all its streams, or its audio alone (只听声音).
  async subscribe(publisher, { audioOnly = false } = {}) {
    const handleId = await this.attach();
    const streams = (publisher.streams || [])
      .filter((s) => !s.disabled && (!audioOnly || s.type === "audio"))
      .map((s) => ({ feed: publisher.id, mid: s.mid }));
    const joined = await this.message(handleId, {
      request: "join",
      ptype: "subscriber",
      room: this.room,
      pin: this.pin,
      token: this.token,
      streams: streams.length ? streams : [{ feed: publisher.id }],
    });
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const stream = new MediaStream();
    pc.addEventListener("track", (event) => stream.addTrack(event.track));
    await pc.setRemoteDescription(joined.jsep);
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    await this.message(
      handleId,
      { request: "start", room: this.room },
      { type: "answer", sdp: pc.localDescription.sdp },
    );
    return { handleId, pc, stream };
  }

  async detach(handleId) {
    this.listeners.delete(handleId);
    await this.post(`/${this.sessionId}/${handleId}`, { janus: "detach" }).catch(() => {});
  }

  close() {
    this.closed = true;
    clearInterval(this.keepalive);
    if (this.sessionId) {
      this.post(`/${this.sessionId}`, { janus: "destroy" }).catch(() => {});
    }
  }
}
