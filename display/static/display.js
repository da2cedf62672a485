// The hall screen: live calls over Socket.IO, and one announcement queue that speaks them in order.
// Runs all day on a TV: nothing here grows without bound (lists are capped, one <audio> is reused),
// and the socket reconnects by itself; every (re)connect brings the full `state`.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "antrean.display.token";
  const PLAYED_KEPT = 50;
  const PART_TIMEOUT_MS = 30000;  // a clip that never ends must not silence the hall

  // Pairing: open /display?token=<display token> once; the browser keeps it (?token= clears it).
  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    if (params.get("token")) localStorage.setItem(TOKEN_KEY, params.get("token"));
    else localStorage.removeItem(TOKEN_KEY);
    params.delete("token");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }
  const token = localStorage.getItem(TOKEN_KEY);

  let timezone = "Asia/Jakarta";
  let zoneName = "WIB";  // from the server's `state.hall.zone`
  let profile = {recent: 8};
  let recent = [];                // calls, newest first
  const queues = new Map();       // service code -> queue item of the `state` / `queue` events
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- clock and date in Bahasa Indonesia, hall time -------------------------------------------
  let formats = null;
  function tick() {
    if (!formats || formats.zone !== timezone) {
      formats = {
        zone: timezone,
        time: new Intl.DateTimeFormat("id-ID", {timeZone: timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"}),
        date: new Intl.DateTimeFormat("id-ID", {timeZone: timezone, weekday: "long", day: "numeric", month: "long", year: "numeric"}),
      };
    }
    const now = new Date();
    $("clock-time").textContent = `${formats.time.format(now)} ${zoneName}`.trim();
    $("clock-date").textContent = formats.date.format(now);
  }
  setInterval(tick, 1000);
  tick();

  // -- the calls ---------------------------------------------------------------------------------
  function agencyName(call) {
    return call.ticket.agency.short_name || call.ticket.agency.name;
  }

  function fit(node) {
    // Shrink a one-line text that overflows its box (long numbers on a portrait screen).
    node.style.fontSize = "";
    if (node.scrollWidth > node.clientWidth) {
      const size = parseFloat(getComputedStyle(node).fontSize);
      node.style.fontSize = `${Math.floor(size * node.clientWidth / node.scrollWidth)}px`;
    }
  }

  function showCurrent(call, fresh) {
    const card = $("current");
    $("current-number").textContent = call ? call.ticket.number : "–";
    $("current-counter").textContent = call ? call.counter.name : "Belum ada panggilan";
    $("current-agency").textContent = call ? agencyName(call) : "No calls yet";
    $("current-text").textContent = call && call.announcement ? call.announcement.text : "";
    fit($("current-number"));
    fit($("current-counter"));
    if (fresh) {  // restart the highlight for every new call
      card.classList.remove("flash");
      void card.offsetWidth;
      card.classList.add("flash");
    }
  }

  function renderRecent() {
    const items = recent.slice(0, profile.recent).map((call, i) => {
      const li = el("li", i === 0 ? "latest" : "");
      li.dataset.number = call.ticket.number;
      li.append(el("span", "num", call.ticket.number), el("span", "ctr", call.counter.name),
                el("span", "agy", agencyName(call)));
      if (call.recall) li.append(el("span", "tag", "Ulang"));
      return li;
    });
    $("recent").replaceChildren(...items);
    clipRecent();
  }

  function clipRecent() {
    // Show only whole rows: the list's height depends on the screen and on the media area.
    const list = $("recent");
    const bottom = list.getBoundingClientRect().bottom;
    for (const li of list.children) {
      li.hidden = false;
      li.hidden = li.getBoundingClientRect().bottom > bottom + 1;
    }
  }
  window.addEventListener("resize", clipRecent);

  function renderWaiting() {
    const byAgency = new Map();
    for (const q of queues.values()) {
      const a = byAgency.get(q.agency.code) || {name: q.agency.short_name || q.agency.name, waiting: 0};
      a.waiting += q.waiting;
      byAgency.set(q.agency.code, a);
    }
    $("waiting").replaceChildren(...[...byAgency.values()].map((a) => {
      const li = el("li", a.waiting ? "" : "none");
      li.append(el("span", "agy", a.name), el("span", "count", String(a.waiting)));
      return li;
    }));
  }

  function addCall(call) {
    recent.unshift(call);
    recent.length = Math.min(recent.length, Math.max(profile.recent, 1));
    showCurrent(call, true);
    renderRecent();
    announcer.push(call);
  }

  // -- media area and running text ----------------------------------------------------------------
  let media = {urls: [], index: 0, timer: null};
  function showMedia(urls) {
    if (urls.join("\n") === media.urls.join("\n")) return;
    clearTimeout(media.timer);
    media = {urls, index: 0, timer: null};
    document.body.classList.toggle("has-media", urls.length > 0);
    $("media").hidden = urls.length === 0;
    nextMedia();
  }
  function nextMedia() {
    const box = $("media");
    if (!media.urls.length) { box.replaceChildren(); return; }
    const url = media.urls[media.index++ % media.urls.length];
    const video = /\.(mp4|webm|ogv)(\?|$)/i.test(url);
    const node = el(video ? "video" : "img");
    node.src = url;
    if (video) {
      Object.assign(node, {muted: true, autoplay: true, playsInline: true});
      node.onended = node.onerror = nextMedia;
    } else {
      media.timer = setTimeout(nextMedia, 12000);
    }
    box.replaceChildren(node);
  }
  function showTicker(text) {
    const node = $("ticker-text");
    if (node.textContent === text) return;
    node.textContent = text;
    node.style.animationDuration = `${Math.max(20, text.length * 0.22)}s`;
  }

  // -- the announcement queue (same rules as display/playlist.py) ---------------------------------
  class Announcer {
    constructor() {
      this.waiting = [];
      this.busy = false;
      this.played = [];   // {number, counter, recall, start, end, chime, speech: [...]} for tests and checks
      this.audio = new Audio();
    }

    push(call) {
      const a = call.announcement;
      if (!a) return;
      const key = `${call.ticket.number}|${call.counter.name}|${call.recall}`;
      if (this.waiting.some((w) => w.key === key)) return;  // the same call already waits
      this.waiting.push({key, number: call.ticket.number, counter: call.counter.name, recall: call.recall,
                         chime: a.chime_url, speech: a.speech_url, repeat: a.repeat || 1});
      this.pump();
    }

    async pump() {
      if (this.busy) return;
      this.busy = true;
      try {
        while (this.waiting.length) {
          const item = this.waiting.shift();
          const rec = {number: item.number, counter: item.counter, recall: item.recall, start: Date.now(),
                       end: null, chime: null, speech: []};
          document.body.dataset.speaking = item.number;
          rec.chime = await this.play(item.chime);
          // Repeat only while nobody else waits: in a rush every number is said once.
          while (item.speech && rec.speech.length < item.repeat && (rec.speech.length === 0 || !this.waiting.length)) {
            if (rec.speech.length) await sleep(400);
            const part = await this.play(item.speech);
            rec.speech.push(part);
            if (!part.ok) break;  // not rendered in time or voice broken: chime and text only
          }
          rec.end = Date.now();
          this.played.push(rec);
          if (this.played.length > PLAYED_KEPT) this.played.shift();
          delete document.body.dataset.speaking;
          await sleep(300);
        }
      } finally {
        this.busy = false;
      }
    }

    play(url) {
      return new Promise((resolve) => {
        const audio = this.audio;
        const start = Date.now();
        let timer = null;
        const finish = (ok, error) => {
          if (timer === null) return;
          clearTimeout(timer);
          timer = null;
          audio.onended = audio.onerror = null;
          resolve({url, ok, error: error || null, start, end: Date.now()});
        };
        timer = setTimeout(() => { audio.pause(); finish(false, "timeout"); }, PART_TIMEOUT_MS);
        audio.onended = () => finish(true);
        audio.onerror = () => finish(false, "unavailable");
        audio.src = url;
        audio.play().catch((e) => {
          if (e.name === "NotAllowedError") $("sound-gate").hidden = false;
          finish(false, e.name);
        });
      });
    }
  }
  const announcer = new Announcer();
  $("sound-gate").addEventListener("click", () => {
    // One touch satisfies a browser without --autoplay-policy=no-user-gesture-required.
    $("sound-gate").hidden = true;
    announcer.audio.src = profile.chime_url || "";
    announcer.audio.play().catch(() => {});
  });

  // -- the socket ---------------------------------------------------------------------------------
  const socket = io("/display", {auth: token ? {token} : {}, transports: ["websocket", "polling"],
                                 reconnectionDelay: 500, reconnectionDelayMax: 2000});

  socket.on("state", (state) => {
    const d = state.display || {};
    if (d.version && d.version !== document.body.dataset.version) {
      location.reload();  // the server was upgraded: load the new page once
      return;
    }
    profile = Object.assign({recent: 8}, d);
    timezone = state.hall.timezone || timezone;
    zoneName = state.hall.zone || "";
    $("hall-name").textContent = state.hall.name;
    $("display-name").textContent = d.name || "";
    recent = (state.recent || []).slice(0, profile.recent);
    queues.clear();
    for (const q of state.queues || []) queues.set(q.code, q);
    showCurrent(recent[0], false);
    renderRecent();
    renderWaiting();
    showMedia(d.media || []);
    clipRecent();
    showTicker(d.running_text || "");
    tick();
    $("offline").hidden = true;
    document.body.dataset.connected = "1";
  });
  socket.on("call", addCall);
  socket.on("hall", () => socket.disconnect().connect());  // an admin edit: reconnect for a fresh `state`
  socket.on("queue", (data) => {
    for (const q of data.services || []) queues.set(q.code, q);
    renderWaiting();
  });
  socket.on("disconnect", () => {
    $("offline").hidden = false;
    document.body.dataset.connected = "0";
  });
  socket.on("connect_error", () => {
    $("offline").hidden = false;
    // Refused by the server (unknown token, or a restart mid-handshake): keep trying.
    if (!socket.active) setTimeout(() => socket.connect(), 5000);
  });

  window.antrean = {announcer, socket, calls: () => recent.slice()};
})();
