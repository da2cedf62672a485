/* /admin's Printers tab (admins): every printer with its last known state from GET /api/v1/printers,
   and a test print (POST /api/v1/admin/printers/<name>/test) followed through GET /print-jobs/<id>
   until printed or failed, because the page goes down the ticket's own path and may wait on a
   worker's retries or a kiosk agent. Adding, changing and removing a printer edits the stored
   [printers] section's `device` list through PUT /api/v1/admin/settings/printers, so the server
   checks it with the print service's own parser and refuses with the reason. */
"use strict";

(() => {
  const {api, h, bi, clock, toast, run, ask} = Antrean;
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
        onclick: () => testPrint(printer.name)}, ...bi("Uji cetak", "Test print")), " ",
        h("button", {type: "button", class: "small", dataset: {editPrinter: printer.name},
                     onclick: () => editPrinter(printer.name)}, "Ubah ", h("small", {}, "Edit")), " ",
        h("button", {type: "button", class: "small ghost", dataset: {removePrinter: printer.name},
                     onclick: () => removePrinter(printer.name)}, "Hapus ", h("small", {}, "Remove"))));
  }

  // -- the printer form: one [[printers.device]] table ---------------------------------------------
  const TRANSPORTS = {  // transport -> its own fields: [key, label, label_en, number?]
    network: [["host", "Alamat IP printer", "Printer IP address"], ["port", "Port (9100)", "Port", true]],
    usb: [["vendor_id", "Vendor ID (mis. 0x0416)", "Vendor ID"], ["product_id", "Product ID (mis. 0x5011)", "Product ID"]],
    serial: [["device", "Perangkat (mis. /dev/ttyUSB0)", "Device"], ["baudrate", "Baud rate (9600)", "Baud rate", true]],
    file: [["device", "Berkas perangkat (mis. /dev/usb/lp0)", "Device file"]],
    cups: [["queue", "Nama antrean CUPS", "CUPS queue"]],
    virtual: [["folder", "Folder (.bin dan .png per tiket)", "Folder (.bin and .png per ticket)"]],
  };
  const TWO_WAY = ["network", "usb", "serial"];  // links that can read the printer's status
  const OPTION_KEYS = [...new Set(Object.values(TRANSPORTS).flat().map(([key]) => key))];
  const select = (name, options, value) => h("select", {name}, options.map(([v, label]) =>
    h("option", {value: v, selected: String(v) === String(value)}, label)));

  async function printersSection() {
    return (await api("GET", "/admin/hall")).hall.printers || {};
  }

  function printerFields(form, device) {
    const linkFields = h("div", {class: "fields"});
    const showLink = transport => linkFields.replaceChildren(...TRANSPORTS[transport].map(([key, label, en]) =>
      h("label", {}, label, " ", h("small", {}, en), h("input", {name: "link." + key, value: device[key] ?? "",
        required: !["port", "baudrate", "folder", "queue"].includes(key)}))));
    const transport = select("transport", Object.keys(TRANSPORTS).map(t => [t, t]), device.transport || "network");
    transport.onchange = () => showLink(transport.value);
    showLink(transport.value);
    form.querySelector("[data-slot=fields]").replaceChildren(
      device.name ? "" : h("label", {}, "Nama printer ", h("small", {}, "Printer name"), h("input", {name: "name", required: true, maxlength: 100})),
      h("label", {}, "Sambungan ", h("small", {}, "Transport"), transport), linkFields,
      h("label", {}, "Lebar kertas ", h("small", {}, "Paper width"), select("paper", [[80, "80 mm"], [58, "58 mm"]], device.paper ?? 80)),
      h("label", {}, "Dijalankan oleh ", h("small", {}, "Driven by"), select("driven_by",
        [["server", "server (printer LAN) / the server"], ["agent", "agen kiosk (USB/serial di PC kiosk) / kiosk agent"]],
        device.driven_by || "server")),
      h("label", {}, "Kiosk yang dilayani (nama perangkat, pisah koma) ", h("small", {}, "Kiosks served (comma-separated)"),
        h("input", {name: "kiosks", value: (device.kiosks || []).join(", ")})));
  }

  /* The device table from the form: its own fields replaced, other keys (profile, status…) kept. */
  function deviceFrom(form, device) {
    const out = {...device};
    for (const key of OPTION_KEYS) delete out[key];
    const transport = form.elements.transport.value;
    for (const [key, , , numeric] of TRANSPORTS[transport]) {
      const value = form.elements["link." + key].value.trim();
      if (value) out[key] = numeric ? Number(value) : value;
    }
    if (!TWO_WAY.includes(transport)) delete out.status;
    return {...out, name: device.name || form.elements.name.value.trim(), transport,
            paper: Number(form.elements.paper.value), driven_by: form.elements.driven_by.value,
            kiosks: form.elements.kiosks.value.split(",").map(k => k.trim()).filter(Boolean)};
  }

  async function saveDevices(section, devices, message) {
    await api("PUT", "/admin/settings/printers", {...section, device: devices});
    toast(message, "info");
    await load();
  }

  async function editPrinter(name) {
    const section = await printersSection().catch(err => { toast(err.message, "error"); return null; });
    if (!section) return;
    const devices = section.device || [];
    const device = devices.find(d => d.name === name) || {};
    const values = await ask("dlg-edit", form => {
      form.querySelector("[data-slot=title]").replaceChildren(
        ...(name ? bi(`Ubah printer ${name}`, "Edit printer") : bi("Printer baru", "New printer")));
      printerFields(form, device);
    });
    if (values === null) return;
    const changed = deviceFrom(document.querySelector("#dlg-edit form"), device);
    run(() => saveDevices(section, name ? devices.map(d => (d.name === name ? changed : d)) : [...devices, changed],
                          `Tersimpan: ${changed.name} / Saved`), () => {});
  }

  function removePrinter(name) {
    if (!confirm(`Hapus printer ${name}? / Remove printer ${name}?`)) return;
    run(async () => {
      const section = await printersSection();
      await saveDevices(section, (section.device || []).filter(d => d.name !== name), `Dihapus: ${name} / Removed`);
    }, () => {});
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
  document.getElementById("new-printer").onclick = () => editPrinter(null);
})();
