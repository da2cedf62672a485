/* The supervisor view: every counter of the agency (or hall) with its status, the queues, today's
   open tickets with transfer / cancel / re-open / reprint, and the audit trail. */
"use strict";

(() => {
  const {boot, api, h, clock, toast} = Antrean;
  const SHOWN = new Set(["waiting", "called", "serving", "no_show"]);
  const agency = boot.user.agency; // null: a hall supervisor or admin sees every agency
  const book = Antrean.ticketBook(t => SHOWN.has(t.status) && (!agency || t.agency.code === agency));
  let counters = [];
  let queues = {};
  let online = new Set();
  let live = false;

  /* serving, paused with reason, idle or offline (no console connected). */
  function counterStatus(c) {
    if (c.status === "paused") return ["paused", `Jeda: ${c.pause_reason}`, "Paused"];
    if (!online.has(c.code)) return ["offline", "Offline", "No console open"];
    return c.status === "serving" ? ["serving", "Melayani", "Serving"] : ["idle", "Siaga", "Idle"];
  }

  function renderCounters() {
    document.getElementById("counters").replaceChildren(...counters.map(c => {
      const [kind, label, labelEn] = counterStatus(c);
      const t = c.ticket;
      return h("article", {class: `card-counter ${kind}`, dataset: {counter: c.code, status: kind}},
        h("header", {}, h("b", {}, c.name), h("span", {class: "status-badge"}, label)),
        h("div", {class: "num"}, t ? t.number : "—"),
        h("div", {class: "meta"}, t ? [t.service.name, " · ", t.status_label, " ",
          h("span", {dataset: {since: t.started_at || t.called_at}}, Antrean.since(t.started_at || t.called_at))]
          : h("small", {}, labelEn)));
    }));
    const select = document.getElementById("audit-counter");
    if (select.options.length === 1) select.append(...counters.map(c => h("option", {value: c.code}, c.name)));
  }

  /* A service whose longest wait has passed its target time: the row turns red and the alert names it. */
  const overTarget = (q, f) => Boolean(f.oldest) && Antrean.now() - Date.parse(f.oldest) > q.target_service_s * 1000;

  function renderQueues() {
    const late = [];
    document.querySelector("#queues tbody").replaceChildren(...Object.values(queues).map(q => {
      const f = Antrean.queueFigures(q.code, queues, book);
      const over = overTarget(q, f);
      if (over) late.push(q.name);
      return h("tr", {dataset: {service: q.code}, class: over ? "over-target" : null},
        h("td", {}, q.name, " ", h("small", {}, q.agency.short_name || q.agency.name)),
        h("td", {class: "num waiting"}, f.waiting),
        h("td", {class: "num"}, f.priority || "—"),
        h("td", {class: "num"}, f.oldest ? h("span", {dataset: {since: f.oldest}}, Antrean.since(f.oldest)) : "—"),
        h("td", {class: "num"}, f.quotaLeft === null ? "—" : f.quotaLeft));
    }));
    const alert = document.getElementById("wait-alert");
    alert.hidden = !late.length;
    alert.textContent = late.length ? `Tunggu terlama melewati target: ${late.join(", ")} — Longest wait past its target` : "";
  }
  setInterval(renderQueues, 5000);  // waits grow while nothing happens

  /* Whether a ticket action fits the ticket's state (the server's rule, sent in boot). */
  function verdict(action, t) {
    if (!live) return "Koneksi ke server terputus; menunggu tersambung kembali — No connection to the server";
    const allowed = boot.ticket_actions[action];
    return !allowed || allowed.includes(t.status) ? ""
      : `Hanya untuk nomor berstatus ${allowed.map(s => boot.status_labels[s]).join(", ")} — Not for a ticket that is ${t.status_label}`;
  }

  function actionButton(action, label, t, task) {
    const reason = verdict(action, t);
    return h("span", {class: "act-wrap", title: reason},
      h("button", {type: "button", class: "small", dataset: {action}, disabled: Boolean(reason) || Antrean.isBusy(),
                   onclick: () => Antrean.run(task, renderTickets)}, label));
  }

  /* Reprint through the printing service (POST /tickets/<id>/print): the ticket's last printer,
     or one chosen here. */
  async function reprint(t) {
    const {printers} = await api("GET", "/printers");
    const form = await Antrean.ask("dlg-reprint", f => {
      f.querySelector("[data-slot=number]").textContent = t.number;
      f.elements.printer.replaceChildren(h("option", {value: ""}, "Printer terakhir nomor ini / Its last printer"),
        ...printers.map(p => h("option", {value: p.name}, `${p.name} — ${p.state_label}`)));
    });
    if (!form) return;
    const {job} = await api("POST", `/tickets/${t.id}/print`, form.printer ? {printer: form.printer} : {});
    toast(job ? `Dikirim ke ${job.printer} / Sent to ${job.printer}` : "Tidak ada printer untuk nomor ini / No printer for this ticket");
  }

  function renderTickets() {
    const text = document.getElementById("ticket-filter").value.trim().toUpperCase();
    const status = document.getElementById("status-filter").value;
    const rows = book.all().filter(t => (!text || t.number.includes(text)) && (!status || t.status === status));
    document.querySelector("#tickets tbody").replaceChildren(...rows.slice(0, 300).map(t => h("tr", {dataset: {ticket: t.number, status: t.status}},
      h("td", {}, h("b", {}, t.number), " ", Antrean.priorityMark(t)),
      h("td", {}, t.service.name, t.transferred_from ? h("small", {}, ` ← ${t.transferred_from.name}`) : null),
      h("td", {}, t.status_label, t.counter ? h("small", {}, ` ${t.counter.name}`) : null),
      h("td", {class: "num"}, t.status === "waiting" ? h("span", {dataset: {since: t.issued_at}}, Antrean.since(t.issued_at)) : clock(t.issued_at)),
      h("td", {class: "row-actions"},
        actionButton("transfer", "Alihkan", t, async () => {
          const form = await Antrean.askTransfer(t);
          if (form) await api("POST", `/tickets/${t.id}/transfer`, form);
        }),
        actionButton("cancel", "Batalkan", t, async () => {
          const form = await Antrean.ask("dlg-cancel", f => { f.querySelector("[data-slot=number]").textContent = t.number; });
          if (form) await api("POST", `/tickets/${t.id}/cancel`, form);
        }),
        actionButton("reopen", "Buka kembali", t, () => api("POST", `/tickets/${t.id}/reopen`, {})),
        actionButton("reprint", "Cetak ulang", t, () => reprint(t))))));
  }

  let auditTimer = 0;
  async function loadAudit() {
    const params = new URLSearchParams({limit: "150"});
    const counter = document.getElementById("audit-counter").value;
    const user = document.getElementById("audit-user").value.trim();
    if (counter) params.set("counter", counter);
    if (user) params.set("user", user);
    const entries = await api("GET", `/audit?${params}`);
    document.querySelector("#audit tbody").replaceChildren(...entries.map(e => h("tr", {dataset: {action: e.action}},
      h("td", {}, clock(e.at)), h("td", {}, e.actor || "—"), h("td", {}, e.counter ? e.counter.name : "—"),
      h("td", {title: e.action_label_en}, e.action_label), h("td", {}, e.ticket ? e.ticket.number : ""),
      h("td", {}, [e.detail, e.address].filter(Boolean).join(" · ")))));
  }
  const auditSoon = () => { clearTimeout(auditTimer); auditTimer = setTimeout(() => loadAudit().catch(err => toast(err.message, "error")), 800); };

  async function loadTickets() {
    book.reset(await api("GET", `/tickets?status=${[...SHOWN].join(",")}`));
    renderTickets();
    renderQueues();
  }

  Antrean.connect({}, {
    state(s) {
      counters = s.counters;
      queues = Antrean.byCode(s.queues);
      online = new Set(s.online || []);
      renderCounters();
      loadTickets().catch(err => toast(err.message, "error"));
      auditSoon();
    },
    ticket(t) {
      book.apply(t);
      renderTickets();
      renderQueues();
      auditSoon();
    },
    counter(c) {
      counters = counters.map(x => (x.code === c.code ? c : x));
      renderCounters();
      auditSoon();
    },
    queue(q) {
      for (const s of q.services) if (queues[s.code]) queues[s.code] = s;
      renderQueues();
    },
    presence(p) {
      if (p.online) online.add(p.counter); else online.delete(p.counter);
      renderCounters();
    },
  }, ok => { live = ok; renderTickets(); });

  document.getElementById("ticket-filter").addEventListener("input", renderTickets);
  document.getElementById("status-filter").addEventListener("change", renderTickets);
  document.getElementById("audit-counter").addEventListener("change", auditSoon);
  document.getElementById("audit-user").addEventListener("input", auditSoon);
  /* "/" jumps to the number search, as in most web tools. */
  document.addEventListener("keydown", ev => {
    if (ev.key === "/" && !ev.target.closest("input, textarea, select") && !document.querySelector("dialog[open]")) {
      ev.preventDefault();
      document.getElementById("ticket-filter").focus();
    }
  });
})();
