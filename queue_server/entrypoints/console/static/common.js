/* Shared by the counter console and the supervisor view: the API with the session's bearer
   token, the live /counter connection, the hall's clock, today's tickets kept in step with the
   server, and the pieces both pages draw. No framework: the hall PCs are offline and modest. */
"use strict";

const Antrean = (() => {
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const skew = Date.parse(boot.now) - Date.now(); // the server's clock minus this PC's
  const now = () => Date.now() + skew;

  /* One call of /api/v1 (a FormData body goes as multipart); resolves to the JSON (null for 204),
     rejects with the server's message. */
  async function api(method, path, body) {
    const headers = {Authorization: "Bearer " + boot.token};
    const raw = body === undefined || body instanceof FormData;
    if (!raw) headers["Content-Type"] = "application/json";
    const res = await fetch(boot.api + path, {method, headers, body: raw ? body : JSON.stringify(body)});
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const info = data.error || {};
      throw new Error(info.message ? `${info.message} / ${info.message_en || ""}` : `HTTP ${res.status}`);
    }
    return data;
  }

  /* h("td", {class: "num"}, "3"): an element with attributes (on* are listeners) and children. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(el.dataset, value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  /* Two languages in one label: Indonesian first, English small. */
  const bi = (id, en) => [id, " ", h("small", {}, en)];

  const clockFormat = new Intl.DateTimeFormat("id-ID", {timeZone: boot.hall.timezone, hour: "2-digit", minute: "2-digit", hour12: false});
  const clock = iso => (iso ? clockFormat.format(new Date(iso)).replace(":", ".") : "–");
  const pad = n => String(n).padStart(2, "0");
  function duration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(s / 3600);
    return (hours ? `${hours}:${pad(Math.floor((s % 3600) / 60))}` : `${Math.floor(s / 60)}`) + `:${pad(s % 60)}`;
  }
  const since = iso => duration(now() - Date.parse(iso));

  /* Elements with data-since tick every second; the bar's clock too. */
  function tick() {
    document.getElementById("clock").textContent = `${clock(new Date(now()).toISOString())} ${boot.hall.zone}`;
    for (const el of document.querySelectorAll("[data-since]")) el.textContent = since(el.dataset.since);
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);

  let toastTimer = 0;
  function toast(message, kind = "info") {
    const el = document.getElementById("toast");
    el.textContent = message;
    el.dataset.kind = kind;
    el.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => el.classList.remove("show"), kind === "error" ? 6000 : 3000);
  }

  /* Socket.IO /counter. Every (re)connect brings a full `state`; while the link is down the bar
     says so and the page is marked offline, so nobody acts on a stale screen. */
  function connect(auth, events, onLink) {
    const socket = io("/counter", {auth: {token: boot.token, ...auth}, transports: ["websocket"],
                                   reconnectionDelay: 500, reconnectionDelayMax: 3000});
    const bar = document.getElementById("conn");
    const show = (state, id, en) => {
      bar.dataset.state = state;
      bar.replaceChildren(...bi(id, en));
      document.body.classList.toggle("offline", state !== "live");
      onLink(state === "live");
    };
    socket.on("connect", () => show("live", "Tersambung", "Live"));
    socket.on("disconnect", () => show("lost", "Koneksi terputus — menyambung kembali…", "Connection lost — reconnecting…"));
    socket.on("connect_error", () => {
      if (socket.active) show("lost", "Koneksi terputus — menyambung kembali…", "Connection lost — reconnecting…");
      else {
        show("ended", "Sesi berakhir — silakan masuk lagi", "Session ended — sign in again");
        bar.append(" ", h("a", {href: "/login?next=" + encodeURIComponent(location.pathname)}, "Masuk / Sign in"));
      }
    });
    socket.on("hall", () => socket.disconnect().connect()); // an admin edit: reconnect for a fresh `state`
    for (const [event, handler] of Object.entries(events)) socket.on(event, handler);
    return socket;
  }

  /* Today's tickets by id, kept in step with `ticket` events; `keep` says which belong here. */
  function ticketBook(keep) {
    const map = new Map();
    return {
      reset(list) { map.clear(); list.forEach(t => map.set(t.id, t)); },
      apply(t) { if (keep(t)) map.set(t.id, t); else map.delete(t.id); },
      get: id => map.get(id),
      all: () => [...map.values()].sort((a, b) => Date.parse(a.issued_at) - Date.parse(b.issued_at)),
      waiting(service) { return this.all().filter(t => t.status === "waiting" && t.service.code === service); },
    };
  }

  /* A service's queue now: the server's count, and from the tickets the longest wait and priorities. */
  function queueFigures(service, queues, book) {
    const waiting = book.waiting(service);
    const q = queues[service];
    // `queue` figures are coalesced (up to 0.5 s late); the list from `ticket` events is at once.
    return {waiting: Math.max(q ? q.waiting : 0, waiting.length), priority: waiting.filter(t => t.priority).length,
            oldest: waiting.length ? waiting[0].issued_at : null, quotaLeft: q ? q.quota_left : null, list: waiting};
  }

  const priorityMark = t => (t.priority ? h("span", {class: "prio", title: boot.priorities[t.priority] || t.priority}, "P") : null);

  /* Open a modal dialog whose form resolves to its values, or null on Esc/Batal. */
  function ask(id, prepare) {
    const dialog = document.getElementById(id);
    const form = dialog.querySelector("form");
    form.reset();
    if (prepare) prepare(form);
    dialog.showModal();
    return new Promise(resolve => {
      const finish = value => {
        form.removeEventListener("submit", onSubmit);
        dialog.removeEventListener("close", onClose);
        resolve(value);
      };
      const onSubmit = ev => {
        ev.preventDefault();
        const values = Object.fromEntries(new FormData(form));
        finish(values);
        dialog.close();
      };
      const onClose = () => finish(null);
      form.addEventListener("submit", onSubmit);
      dialog.addEventListener("close", onClose);
      for (const button of form.querySelectorAll("[data-close]")) button.onclick = () => dialog.close();
      form.onkeydown = ev => { // Enter on a list submits too, so the whole dialog works from the keyboard
        if (ev.key === "Enter" && ev.target.tagName === "SELECT") { ev.preventDefault(); form.requestSubmit(); }
      };
    });
  }

  /* The transfer dialog: every active service of every agency but the ticket's own. */
  function askTransfer(ticket) {
    return ask("dlg-transfer", form => {
      form.querySelector("[data-slot=number]").textContent = ticket.number;
      form.elements.service.replaceChildren(h("option", {value: ""}, "— pilih layanan / choose a service —"),
        ...boot.transfer_targets.map(group => h("optgroup", {label: group.agency.name},
          group.services.filter(s => s.code !== ticket.service.code).map(s => h("option", {value: s.code}, s.name)))));
    });
  }

  /* Run one user action at a time; failures show the server's reason. */
  let busy = false;
  let pending = Promise.resolve();
  function run(task, after) {
    if (busy) return pending;
    busy = true;
    document.body.classList.add("busy");
    after();
    pending = (async () => {
      try {
        await task();
      } catch (err) {
        toast(err.message, "error");
      } finally {
        busy = false;
        document.body.classList.remove("busy");
        after();
      }
    })();
    return pending;
  }

  const byCode = list => Object.fromEntries(list.map(item => [item.code, item]));

  return {boot, api, h, bi, now, clock, duration, since, toast, connect, ticketBook, queueFigures, priorityMark, ask, askTransfer,
          run, isBusy: () => busy, whenIdle: () => pending, byCode};
})();
