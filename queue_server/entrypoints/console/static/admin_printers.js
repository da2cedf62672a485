/* /admin's Printers tab (admins): every printer with its last known state from GET /api/v1/printers,
   and a test print (POST /api/v1/admin/printers/<name>/test) followed through GET /print-jobs/<id>
   until printed or failed, because the page goes down the ticket's own path and may wait on a
   worker's retries or a kiosk agent. Printer settings stay in Settings → printers. */
"use strict";

(() => {
  const {api, h, bi, clock, toast, run} = Antrean;
  const tab = document.querySelector('[data-tab="printers"]');
  if (!tab) return;
  const POLL_MS = 400;
  const FOLLOW_MS = 90000; // past any deadline_s a hall would set: then the list shows the rest
  const JOB_STATES = {queued: ["Menunggu giliran", "Queued"], printing: ["Sedang mencetak…", "Printing…"],
                      printed: ["Tercetak", "Printed"], failed: ["Gagal", "Failed"]};
  const finished = job => job.state === "printed" || job.state === "failed";
  const when = iso => (iso ? `${iso.slice(0, 10)} ${clock(iso)}` : "–");
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const followed = new Map(); // printer name -> the test job this page asked for, as last seen

  /* The newer of two jobs (either may be missing): the list's, or the one followed here. */
  const newer = (a, b) => (!a ? b : !b ? a : (a.created_at >= b.created_at ? a : b));

  /* A test job's state, the reason of a failure, and when and by whom. */
  function outcome(job) {
    if (!job) return ["–"];
    const [id, en] = JOB_STATES[job.state];
    return [h("span", {class: "badge", dataset: {job: job.id, state: job.state}}, ...bi(id, en)),
      job.state === "failed" && job.error ? h("div", {class: "reason"}, job.error) : null,
      finished(job) ? h("div", {}, h("small", {}, `${when(job.finished_at)} · ${job.requested_by}`)) : null];
  }

  function row(printer, lastTest) {
    return h("tr", {dataset: {printer: printer.name}},
      h("td", {}, printer.name),
      h("td", {}, printer.transport, " ",
        h("small", {}, printer.driven_by === "agent" ? "agen kiosk / kiosk agent" : "server")),
      h("td", {class: "num"}, `${printer.paper} mm`),
      h("td", {}, printer.kiosks.join(", ") || "–"),
      h("td", {class: "state", dataset: {state: printer.state}}, ...bi(printer.state_label, printer.state_label_en),
        printer.detail ? h("div", {}, printer.detail) : null, h("div", {}, h("small", {}, when(printer.checked_at)))),
      h("td", {class: "outcome"}, outcome(lastTest)),
      h("td", {class: "actions"}, h("button", {type: "button", class: "small", dataset: {test: printer.name},
        onclick: () => testPrint(printer.name)}, ...bi("Uji cetak", "Test print"))));
  }

  async function load() {
    const {printers, jobs} = await api("GET", "/printers");
    const lastTests = new Map();
    for (const job of jobs) if (job.kind === "test" && !lastTests.has(job.printer)) lastTests.set(job.printer, job);
    document.querySelector("#printers tbody").replaceChildren(...printers.map(p =>
      row(p, newer(lastTests.get(p.name), followed.get(p.name)))));
    document.getElementById("printers-empty").hidden = printers.length > 0;
  }

  function show(job) {
    followed.set(job.printer, job);
    const cell = document.querySelector(`#printers tr[data-printer="${CSS.escape(job.printer)}"] td.outcome`);
    if (cell) cell.replaceChildren(...outcome(job).filter(Boolean));
  }

  /* Poll the job until the printer's verdict, then reload the list for the printer's new state. */
  async function follow(job) {
    const started = Date.now();
    while (!finished(job) && Date.now() - started < FOLLOW_MS) {
      await sleep(POLL_MS);
      job = await api("GET", `/print-jobs/${encodeURIComponent(job.id)}`);
      show(job);
    }
    if (job.state === "printed") {
      toast(`Uji cetak ${job.printer}: tercetak / printed`, "info");
    } else if (job.state === "failed") {
      toast(`Uji cetak ${job.printer} gagal / failed: ${job.error || job.failure}`, "error");
    }
    await load();
  }

  function testPrint(name) {
    run(async () => {
      const {job} = await api("POST", `/admin/printers/${encodeURIComponent(name)}/test`);
      show(job);
      follow(job).catch(err => toast(err.message, "error"));
    }, () => {});
  }

  tab.addEventListener("click", () => load().catch(err => toast(err.message, "error")));
})();
