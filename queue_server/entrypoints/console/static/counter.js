/* The counter console: the ticket at the desk, the actions (one click or one key each), the
   waiting list of this counter's services, the agency's other counters and this counter's day. */
"use strict";

(() => {
  const {boot, api, h, bi, clock, toast} = Antrean;
  const code = boot.counter;
  const path = `/counters/${code}`;
  const mine = new Set(boot.services.map(s => s.code));
  const book = Antrean.ticketBook(t => t.status === "waiting" && mine.has(t.service.code));
  let me = null;          // this counter as the server sends it, with `actions` (allowed + reason)
  let counters = [];      // every counter of the agency
  let queues = {};        // the services' queue figures by code
  let today = [];         // what this counter let go of today
  let live = false;

  const auto = document.getElementById("autocall");
  const autoKey = `antrean.autocall.${code}`;
  auto.checked = localStorage.getItem(autoKey) === "1";
  auto.addEventListener("change", () => localStorage.setItem(autoKey, auto.checked ? "1" : "0"));

  const waitingCount = () => boot.services.reduce((n, s) => n + Antrean.queueFigures(s.code, queues, book).waiting, 0);

  /* Whether a button may be pressed now, and if not, the reason shown on hover. */
  function verdict(name) {
    if (!live) return {allowed: false, reason: "Koneksi ke server terputus; menunggu tersambung kembali", reason_en: "No connection to the server; waiting to reconnect"};
    if (!me) return {allowed: false, reason: "Memuat…", reason_en: "Loading…"};
    const check = me.actions[name === "call_next" ? "call" : name];
    if (check.allowed && name === "call_next" && waitingCount() === 0) {
      return {allowed: false, reason: "Belum ada antrean yang menunggu", reason_en: "Nobody is waiting"};
    }
    return check;
  }

  function renderActions() {
    for (const button of document.querySelectorAll("button[data-action]")) {
      const v = verdict(button.dataset.action);
      button.disabled = !v.allowed || Antrean.isBusy();
      button.parentElement.title = v.allowed ? "" : `${v.reason} — ${v.reason_en}`;
    }
  }

  function renderCurrent() {
    const el = document.getElementById("current");
    const t = me && me.ticket;
    const paused = me && me.status === "paused"
      ? h("p", {class: "paused-note"}, ...bi(`Loket jeda: ${me.pause_reason}`, "Counter paused")) : null;
    if (!t) {
      el.replaceChildren(...[paused, h("p", {class: "empty"}, ...bi("Belum ada nomor di loket ini", "No ticket at this counter")),
        h("p", {class: "hint"}, ...bi("Tekan B untuk memanggil nomor berikutnya", "Press B to call the next number"))].filter(Boolean));
      return;
    }
    const timerFrom = t.started_at || t.called_at;
    el.replaceChildren(...[paused,
      h("div", {class: "number", id: "current-number"}, t.number),
      h("div", {class: "service"}, t.service.name, " ", Antrean.priorityMark(t),
        t.priority ? h("span", {class: "prio-name"}, boot.priorities[t.priority] || t.priority) : null),
      t.transferred_from ? h("div", {class: "meta"}, ...bi(`Dialihkan dari ${t.transferred_from.name}`, "Transferred")) : null,
      h("dl", {class: "facts"},
        h("div", {}, h("dt", {}, ...bi("Status", "Status")), h("dd", {id: "current-status"}, t.status_label)),
        h("div", {}, h("dt", {}, ...bi("Menunggu", "Waited")),
          h("dd", {}, Antrean.duration(Date.parse(t.called_at) - Date.parse(t.issued_at)))),
        h("div", {}, h("dt", {}, ...bi("Dipanggil ulang", "Recalls")), h("dd", {id: "current-recalls"}, `${t.recalls}×`)),
        h("div", {class: "timer"}, h("dt", {}, ...bi(t.started_at ? "Waktu layanan" : "Sejak dipanggil", t.started_at ? "Service time" : "Since called")),
          h("dd", {dataset: {since: timerFrom}}, Antrean.since(timerFrom))))].filter(Boolean));
  }

  function renderWaiting() {
    const el = document.getElementById("waiting");
    const canCall = verdict("call").allowed;
    el.replaceChildren(...boot.services.map(s => {
      const f = Antrean.queueFigures(s.code, queues, book);
      return h("section", {class: "svc", dataset: {service: s.code}},
        h("h3", {}, h("span", {class: "svc-name"}, s.name),
          h("span", {class: "badge count", title: "Menunggu / Waiting"}, `${f.waiting} menunggu`),
          f.oldest ? h("span", {class: "badge", title: "Terlama menunggu / Longest wait"}, "terlama ", h("b", {dataset: {since: f.oldest}}, Antrean.since(f.oldest))) : null,
          f.priority ? h("span", {class: "badge prio-count", title: "Prioritas / Priority"}, `${f.priority} prioritas`) : null),
        h("ol", {class: "tickets"}, f.list.slice(0, 60).map(t => h("li", {dataset: {ticket: t.number}},
          h("b", {class: "num"}, t.number), h("span", {}, Antrean.priorityMark(t)),
          h("span", {class: "wait", dataset: {since: t.issued_at}}, Antrean.since(t.issued_at)),
          h("button", {type: "button", class: "small", disabled: !canCall || Antrean.isBusy(),
                       title: canCall ? `Panggil ${t.number} / Call ${t.number}` : "",
                       onclick: () => Antrean.run(() => api("POST", `${path}/call`, {ticket: t.id}), render)},
            "Panggil")))));
    }));
    document.getElementById("waiting-numbers").replaceChildren(
      ...book.all().map(t => h("option", {value: t.number})));
    renderActions();
  }

  function renderOthers() {
    document.getElementById("others").replaceChildren(...counters.filter(c => c.code !== code).map(c =>
      h("li", {dataset: {counter: c.code}, class: c.status},
        h("b", {}, c.name),
        h("span", {class: "num"}, c.ticket ? c.ticket.number : "—"),
        h("span", {class: "state"}, c.status === "paused" ? `jeda: ${c.pause_reason}` : c.ticket ? c.ticket.status_label : "siaga"))));
  }

  function renderToday() {
    const count = action => today.filter(e => e.action === action).length;
    document.getElementById("today-counts").replaceChildren(
      h("span", {}, h("b", {id: "done-count"}, count("finish")), " selesai"),
      h("span", {}, h("b", {}, count("no_show")), " tidak hadir"),
      h("span", {}, h("b", {}, count("transfer")), " dialihkan"));
    document.getElementById("today").replaceChildren(...today.map(e => h("li", {},
      h("span", {class: "time"}, clock(e.at)), h("b", {class: "num"}, e.ticket.number),
      h("span", {class: "state"}, e.action_label),
      e.action === "no_show" && e.ticket.status === "no_show"
        ? h("button", {type: "button", class: "small", title: "Kembalikan ke antrean / Put back in the queue",
                       onclick: () => Antrean.run(() => api("POST", `/tickets/${e.ticket.id}/reopen`, {}), render)}, "Buka kembali")
        : null)));
  }

  function render() {
    renderCurrent();
    renderWaiting();
    renderOthers();
  }

  async function refreshToday() {
    today = await api("GET", `${path}/today`);
    renderToday();
  }

  Antrean.connect({counter: code}, {
    state(s) {
      counters = s.counters;
      me = counters.find(c => c.code === code) || null;
      queues = Antrean.byCode(s.queues);
      book.reset(s.waiting || []);
      render();
      refreshToday().catch(err => toast(err.message, "error"));
    },
    ticket(t) {
      book.apply(t);
      const entry = today.find(e => e.ticket.id === t.id);
      if (entry) { entry.ticket.status = t.status; renderToday(); }
      renderWaiting();
    },
    counter(c) {
      const before = me && me.ticket ? me.ticket.id : null;
      counters = counters.map(x => (x.code === c.code ? c : x));
      if (c.code === code) {
        me = c;
        if (before && (!c.ticket || c.ticket.id !== before)) refreshToday().catch(err => toast(err.message, "error"));
      }
      render();
    },
    queue(q) {
      for (const s of q.services) queues[s.code] = s;
      renderWaiting();
    },
    call(c) {
      const row = document.querySelector(`#others li[data-counter="${c.counter.code}"]`);
      if (row) { row.classList.remove("flash"); void row.offsetWidth; row.classList.add("flash"); }
    },
  }, ok => { live = ok; render(); });

  const post = action => () => api("POST", `${path}/${action}`);
  const actions = {
    call_next: async () => {
      if (!(await api("POST", `${path}/call-next`))) toast("Belum ada antrean yang menunggu / Nobody is waiting");
    },
    recall: post("recall"),
    start: post("start"),
    finish: async () => {
      if (!auto.checked) return post("finish")();
      const result = await api("POST", `${path}/finish-and-call-next`);
      if (!result.next) toast("Selesai; belum ada antrean berikutnya / Finished; nobody else is waiting");
    },
    no_show: post("no-show"),
    transfer: async () => {
      const form = await Antrean.askTransfer(me.ticket);
      if (form) await api("POST", `${path}/transfer`, form);
    },
    call: async () => {
      const form = await Antrean.ask("dlg-call");
      if (form) await api("POST", `${path}/call`, {ticket: form.ticket.trim()});
    },
    pause: async () => {
      const form = await Antrean.ask("dlg-pause");
      if (form) await api("POST", `${path}/pause`, {reason: form.reason});
    },
    resume: post("resume"),
  };

  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => Antrean.run(actions[button.dataset.action], render));
  }

  /* One key per action, shown on its button; ignored while typing or in a dialog. A key pressed
     while the previous action is still on its way waits for it (S then B: finish, then call). */
  document.addEventListener("keydown", ev => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat || document.querySelector("dialog[open]")) return;
    if (ev.target.closest("input, textarea, select")) return;
    const button = document.querySelector(`button[data-key="${ev.key.toUpperCase()}"]`);
    if (!button) return;
    ev.preventDefault();
    const press = () => {
      if (button.disabled) { if (button.parentElement.title) toast(button.parentElement.title); }
      else button.click();
    };
    if (Antrean.isBusy()) Antrean.whenIdle().then(press); else press();
  });

  render();
})();
