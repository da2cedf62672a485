/* /admin: the hall's description from /api/v1/admin/hall, edited one item at a time through
   PUT /api/v1/admin/<kind>/<code>. The server validates every edit as it validates config.toml
   and refuses with the reason, shown here. A `hall` event (anyone's edit) reloads the tables.
   Settings: forms for priority, announcement (with a spoken sample) and display, JSON for the rest;
   Media: the displays' images and videos (admins). */
"use strict";

(() => {
  const {boot, api, h, bi, clock, toast, connect, ask, run} = Antrean;
  const DAYS = [["mon", "Senin"], ["tue", "Selasa"], ["wed", "Rabu"], ["thu", "Kamis"], ["fri", "Jumat"],
                ["sat", "Sabtu"], ["sun", "Minggu"]];
  const list = text => text.split(",").map(s => s.trim()).filter(Boolean);
  const SPECS = {  // [field, label, label_en, type, choices]; type: text | password | number | check | area | list | agency | agency? | choice | hours
    services: [["name", "Nama", "Name", "text"], ["agency", "Agensi", "Agency", "agency"],
               ["prefix", "Awalan nomor (1-3 huruf besar)", "Prefix", "text"],
               ["quota", "Kuota harian (kosong = tanpa kuota)", "Daily quota (empty = none)", "number"],
               ["target_minutes", "Target waktu layanan (menit)", "Target service time (min)", "number"],
               ["active", "Aktif", "Active", "check"],
               ["requirements", "Persyaratan", "Requirements", "area"],
               ["completion_time", "Waktu penyelesaian", "Completion time", "text"],
               ["synonyms", "Kata pencarian (pisah koma)", "Search words (comma-separated)", "list"],
               ["hours", "Jam buka (mis. 08.00-11.00,13.00-15.00; kosong = tutup)", "Opening hours", "hours"]],
    counters: [["name", "Nama", "Name", "text"], ["agency", "Agensi", "Agency", "agency"],
               ["services", "Kode layanan, berurutan (pisah koma)", "Service codes in order (comma-separated)", "list"]],
    agencies: [["name", "Nama", "Name", "text"], ["short_name", "Nama singkat", "Short name", "text"],
               ["floor", "Lantai", "Floor", "text"], ["zone", "Zona", "Zone", "text"], ["color", "Warna", "Colour", "text"]],
    users: [["password", "Kata sandi baru (min. 8; kosong = tidak diubah)", "New password (8+; empty = unchanged)", "password"],
            ["role", "Peran", "Role", "choice", ["officer", "supervisor", "admin"]],
            ["agency", "Agensi (admin: kosong)", "Agency (admin: none)", "agency?"],
            ["active", "Aktif (nonaktif: sesinya langsung berakhir)", "Active (inactive: sessions end at once)", "check"]],
    devices: [["kind", "Jenis", "Kind", "choice", ["kiosk", "display"]],
              ["agencies", "Agensi yang ditampilkan (pisah koma; kosong = semua)", "Agencies shown (empty = all)", "list"]],
  };
  const NAMES = {services: ["layanan", "service"], counters: ["loket", "counter"], agencies: ["agensi", "agency"],
                 users: ["pengguna", "user"], devices: ["perangkat", "device"]};
  const KEY = {users: "username", devices: "name"};  // else "code"
  const key = (kind, item) => item[KEY[kind] || "code"];
  let hall = null;

  function input(spec, value, fresh) {
    const [name, , , type, choices] = spec;
    if (type === "check") return h("input", {type: "checkbox", name, checked: value !== false});
    if (type === "area") return h("textarea", {name, rows: 3}, value || "");
    if (type === "number") return h("input", {type: "number", name, min: 0, step: "any", value: value ?? ""});
    if (type === "list") return h("input", {name, value: (value || []).join(", ")});
    if (type === "password") return h("input", {type: "password", name, required: fresh, minlength: 8, autocomplete: "new-password"});
    if (type === "choice") return h("select", {name}, choices.map(c => h("option", {value: c, selected: c === value}, c)));
    if (type.startsWith("agency")) {
      return h("select", {name, required: true},
        type === "agency?" && !boot.limited_to ? h("option", {value: ""}, "— tanpa agensi / none —") : null,
        hall.agencies.map(a => h("option", {value: a.code, selected: a.code === (value || boot.limited_to)}, `${a.code} — ${a.name}`)));
    }
    if (type === "hours") {
      return h("div", {class: "hours"}, DAYS.map(([key, day]) => h("label", {}, day,
        h("input", {name: "hours." + key, value: (value || {})[key] || ""}))),
        h("label", {}, "Tanggal tutup (YYYY-MM-DD, pisah koma) ", h("small", {}, "Closing dates"),
          h("input", {name: "hours.closed_dates", value: ((value || {}).closed_dates || []).join(", ")})));
    }
    return h("input", {name, value: value ?? "", required: name === "name"});
  }

  /* The form's values for `specs` (an item's or a settings section's), shaped as config.toml has them. */
  function fieldsOf(specs, form) {
    const out = {};
    for (const [name, , , type] of specs) {
      const el = form.elements[name];
      if (type === "check") out[name] = el.checked;
      else if (type === "number") out[name] = el.value === "" ? null : Number(el.value);
      else if (type === "list") out[name] = list(el.value);
      else if (type === "agency?") out[name] = el.value || null;
      else if (type === "password") { if (el.value) out[name] = el.value; }
      else if (type === "hours") {
        const hours = {closed_dates: list(form.elements["hours.closed_dates"].value)};
        for (const [key] of DAYS) if (form.elements["hours." + key].value.trim()) hours[key] = form.elements["hours." + key].value.trim();
        out.hours = hours;
      } else out[name] = el.value.trim();
    }
    return out;
  }

  async function edit(kind, item) {
    const [id, en] = NAMES[kind];
    const values = await ask("dlg-edit", form => {
      form.querySelector("[data-slot=title]").replaceChildren(
        ...(item ? bi(`Ubah ${id} ${key(kind, item)}`, `Edit ${en}`) : bi(`${id[0].toUpperCase() + id.slice(1)} baru`, `New ${en}`)));
      const rows = SPECS[kind].map(spec => h("label", {}, spec[1], " ", h("small", {}, spec[2]), input(spec, item && item[spec[0]], !item)));
      if (!item) rows.unshift(h("label", {}, "Kode", " ", h("small", {}, "Code"), h("input", {name: "code", required: true, pattern: "[A-Za-z0-9][A-Za-z0-9_.\\-]{0,39}"})));
      form.querySelector("[data-slot=fields]").replaceChildren(...rows);
    });
    if (values === null) return;
    const form = document.querySelector("#dlg-edit form");
    const code = item ? key(kind, item) : values.code;
    const fields = fieldsOf(SPECS[kind], form);
    run(async () => {
      const saved = await api("PUT", `/admin/${kind}/${encodeURIComponent(code)}`, fields);
      if (kind in KEY) await Promise.all([loadAccounts(), loadChanges()]); else show(saved);
      if (saved.token) {
        document.getElementById("device-token").replaceChildren(
          ...bi(`Token ${code} (salin sekarang, hanya ditampilkan sekali): `, "copy it now, shown once"), " ", h("code", {}, saved.token));
      }
      toast(`Tersimpan: ${code} / Saved`, "info");
    }, () => {});
  }

  const yes = value => (value === false ? "Tidak / No" : "Ya / Yes");
  const editButton = (kind, item) => h("button", {type: "button", class: "small", dataset: {edit: key(kind, item)},
                                                  onclick: () => edit(kind, item)}, "Ubah ", h("small", {}, "Edit"));
  const ROWS = {
    services: s => [s.code, s.name, s.agency, s.prefix, s.quota ?? "–", s.target_minutes ?? 10, yes(s.active)],
    counters: c => [c.code, c.name, c.agency, c.services.join(", ")],
    agencies: a => [a.code, a.name, a.short_name || "", a.floor || "", a.zone || ""],
    users: u => [u.username, u.role, u.agency || "–", yes(u.active)],
    devices: d => [d.name, d.kind, d.agencies.join(", ") || "semua / all", yes(d.active)],
  };

  /* Remove an agency, service or counter: the server retires it (tickets keep referring to it). */
  function remove(kind, item) {
    const [id, en] = NAMES[kind];
    if (!confirm(`Hapus ${id} ${item.code}? / Remove ${en} ${item.code}?`)) return;
    run(async () => {
      show(await api("DELETE", `/admin/${kind}/${encodeURIComponent(item.code)}`));
      toast(`Dihapus: ${item.code} / Removed`, "info");
    }, () => {});
  }
  const removeButton = (kind, item) => (kind in KEY ? null : h("button", {type: "button", class: "small ghost",
    dataset: {remove: item.code}, onclick: () => remove(kind, item)}, "Hapus ", h("small", {}, "Remove")));

  /* Switch a kiosk or display off (lost or stolen: its token stops, its screen drops) or on again. */
  function setDeviceActive(device, active) {
    if (!active && !confirm(`Nonaktifkan ${device.name}? Tokennya berhenti berlaku saat ini juga. / `
                            + `Deactivate ${device.name}? Its token stops working now.`)) return;
    run(async () => {
      fill("devices", await api("PUT", `/admin/devices/${encodeURIComponent(device.name)}/active`, {active}));
      await loadChanges();
      toast(`${active ? "Diaktifkan / Activated" : "Dinonaktifkan / Deactivated"}: ${device.name}`, "info");
    }, () => {});
  }
  const activeButton = (kind, item) => (kind !== "devices" ? null : h("button", {type: "button", class: "small ghost",
    dataset: {active: String(!item.active)}, onclick: () => setDeviceActive(item, !item.active)},
    ...(item.active ? ["Nonaktifkan ", h("small", {}, "Deactivate")] : ["Aktifkan ", h("small", {}, "Activate")])));

  function fill(kind, items) {
    const body = document.querySelector(`#${kind} tbody`);
    if (!body) return;
    body.replaceChildren(...items.map(item =>
      h("tr", {dataset: {code: key(kind, item)}}, ROWS[kind](item).map(v => h("td", {}, v)),
        h("td", {class: "actions"}, editButton(kind, item), " ", removeButton(kind, item), " ", activeButton(kind, item)))));
  }

  async function loadAccounts() {
    fill("users", (await api("GET", "/admin/users")).map(u => ({...u, agency: u.agency_code})));
    if (boot.user.role === "admin") fill("devices", await api("GET", "/admin/devices"));
  }

  function show(view) {
    hall = view.hall;
    for (const kind of ["services", "counters", "agencies"]) fill(kind, hall[kind] || []);
    const select = document.getElementById("section");
    if (select && !select.options.length) {
      select.append(...["hall", "priority", "announcement", "display", "kiosk", "printers"].map(s => h("option", {value: s}, s)));
      select.onchange = showSection;
    }
    if (select && select.value + JSON.stringify(hall[select.value] || {}) !== shownSection) showSection();
    loadChanges();  // (a form is rebuilt only when its stored section changed: anyone's edit of another item keeps a draft)
  }

  /* Dedicated forms for the sections edited most; the others keep the JSON editor. A form starts
     from the stored section and sends it back whole, its own fields replaced (unknown keys kept). */
  const FORMS = {
    priority: {
      fields: [["ratio", "Rasio: panggilan prioritas per satu panggilan biasa (0-10; 0 = prioritas hanya bila antrean biasa kosong)",
                "Priority calls per regular call (0 = priority only when no regular ticket waits)", "number"],
               ["at_kiosk", "Pengunjung memilih kategori prioritas di kiosk", "Visitors choose a category at the kiosk", "check"]],
      table: {name: "categories", label: "Kategori prioritas", en: "Priority categories",
              columns: [["code", "Kode", "Code"], ["name", "Nama", "Name"], ["name_en", "Nama (Inggris)", "Name (English)"]],
              rows: section => (section.categories || []).map(c => [c.code, c.name, c.name_en]),
              value: rows => rows.map(([code, name, name_en]) => ({code, name, ...(name_en ? {name_en} : {})}))},
    },
    announcement: {
      hint: ["Isian templat: {number} nomor antrean (dibaca per nilai: A-011 → “a sebelas”), {counter} nama loket, "
             + "{agency} nama agensi, {service} nama layanan.",
             "Placeholders: ticket number (read by value), counter, agency and service names."],
      fields: [["template", "Templat panggilan", "Call template", "text"],
               ["recall_template", "Templat panggilan ulang", "Recall template", "text"],
               ["repeat", "Diucapkan berapa kali (1-5)", "Times spoken (1-5)", "number"],
               ["rate", "Kecepatan bicara (kata per menit, 80-400)", "Speech rate (words per minute)", "number"]],
      table: {name: "pronunciations", label: "Lafal khusus: kata utuh (huruf besar/kecil sama) dan cara membacanya",
              en: "Pronunciations: whole word (any case) and how to say it",
              columns: [["word", "Kata", "Word"], ["spoken", "Dibaca", "Spoken as"]],
              rows: section => Object.entries(section.pronunciations || {}),
              value: rows => Object.fromEntries(rows)},
      listen: true,
    },
    display: {
      fields: [["running_text", "Teks berjalan", "Running text", "area"],
               ["recent", "Panggilan terakhir yang ditampilkan (1-20)", "Recent calls shown (1-20)", "number"]],
    },
  };

  /* An editable table (add and remove rows), e.g. priority categories or respellings. */
  function rowsTable({name, label, en, columns}, rows) {
    const body = h("tbody", {});
    const addRow = values => body.append(h("tr", {},
      columns.map(([col, colLabel], i) => h("td", {}, h("input", {name: `${name}.${col}`, "aria-label": colLabel, value: values[i] ?? ""}))),
      h("td", {}, h("button", {type: "button", class: "small ghost", dataset: {removeRow: ""},
                               onclick: ev => ev.currentTarget.closest("tr").remove()}, "Hapus ", h("small", {}, "Remove")))));
    rows.forEach(addRow);
    return h("fieldset", {class: "rows", dataset: {rows: name}}, h("legend", {}, label, " ", h("small", {}, en)),
      h("table", {}, h("thead", {}, h("tr", {}, columns.map(([, colLabel, colEn]) => h("th", {}, colLabel, " ", h("small", {}, colEn))), h("th", {}))), body),
      h("button", {type: "button", class: "small", dataset: {addRow: name}, onclick: () => addRow([])}, "Tambah baris ", h("small", {}, "Add row")));
  }
  const readRows = (form, {name, columns}) => [...form.querySelectorAll(`[data-rows="${name}"] tbody tr`)]
    .map(tr => columns.map(([col]) => tr.querySelector(`[name="${name}.${col}"]`).value.trim()))
    .filter(values => values.some(Boolean));

  let shownSection = "";  // the section name and stored value the form or JSON editor was built from
  function showSection() {
    const name = document.getElementById("section").value;
    const spec = FORMS[name], current = hall[name] || {};
    shownSection = name + JSON.stringify(current);
    const box = document.getElementById("section-form"), json = document.getElementById("section-json");
    box.hidden = !spec;
    json.hidden = Boolean(spec);
    document.getElementById("listen").hidden = !(spec && spec.listen);
    if (!spec) {
      json.value = JSON.stringify(current, null, 2);
      return;
    }
    box.replaceChildren(
      spec.hint ? h("p", {class: "hint"}, spec.hint[0], " ", h("small", {}, spec.hint[1])) : "",
      ...spec.fields.map(field => h("label", {}, field[1], " ", h("small", {}, field[2]), input(field, current[field[0]]))),
      spec.table ? rowsTable(spec.table, spec.table.rows(current)) : "");
  }

  /* The section to send: the form's fields over the stored section, or the JSON editor's object. */
  function sectionFields(name) {
    const spec = FORMS[name];
    if (!spec) {
      try { return JSON.parse(document.getElementById("section-json").value); } catch (err) {
        throw new Error("JSON tidak sah / Invalid JSON: " + err.message);
      }
    }
    const form = document.getElementById("section-form");
    const out = {...(hall[name] || {}), ...fieldsOf(spec.fields, form)};
    if (spec.table) out[spec.table.name] = spec.table.value(readRows(form, spec.table));
    return out;
  }

  async function loadChanges() {
    const changes = await api("GET", "/admin/changes");
    const brief = v => (v ? JSON.stringify(v) : "–");
    document.querySelector("#changes tbody").replaceChildren(...changes.map(c => h("tr", {},
      h("td", {}, `${c.at.slice(0, 10)} ${clock(c.at)}`), h("td", {}, c.username), h("td", {}, c.kind), h("td", {}, c.code),
      h("td", {class: "diff"}, h("details", {}, h("summary", {}, "lihat / view"), h("pre", {}, brief(c.before)), h("pre", {}, brief(c.after)))))));
  }

  /* The displays' media (admins): thumbnails of images, upload, delete; the displays reload their list. */
  async function loadMedia() {
    const list = document.getElementById("media-list");
    if (!list) return;
    const files = await api("GET", "/admin/media");
    document.getElementById("media-empty").hidden = files.length > 0;
    list.replaceChildren(...files.map(file => h("figure", {dataset: {media: file.name}},
      file.kind === "image" ? h("img", {src: `/display/media/${encodeURIComponent(file.name)}`, alt: file.name, loading: "lazy"})
                            : h("div", {class: "video"}, "▶ video"),
      h("figcaption", {}, file.name, " ", h("small", {}, `${(file.size / 1048576).toFixed(1)} MB`), " ",
        h("button", {type: "button", class: "small ghost", dataset: {removeMedia: file.name}, onclick: () => removeMedia(file.name)},
          "Hapus ", h("small", {}, "Remove"))))));
  }

  function removeMedia(name) {
    if (!confirm(`Hapus ${name}? / Remove ${name}?`)) return;
    run(async () => {
      await api("DELETE", `/admin/media/${encodeURIComponent(name)}`);
      await Promise.all([loadMedia(), loadChanges()]);
      toast(`Dihapus: ${name} / Removed`, "info");
    }, () => {});
  }

  const reload = () => api("GET", "/admin/hall").then(show).then(loadAccounts).then(loadMedia)
    .catch(err => toast(err.message, "error"));

  for (const kind of Object.keys(SPECS)) {
    const button = document.getElementById("new-" + kind);
    if (button) button.onclick = () => edit(kind, null);
  }
  const save = document.getElementById("save-section");
  if (save) {
    document.getElementById("section-form").onsubmit = ev => ev.preventDefault();  // Enter does not reload the page
    save.onclick = () => run(async () => {
      const name = document.getElementById("section").value;
      show(await api("PUT", `/admin/settings/${name}`, sectionFields(name)));
      toast("Tersimpan / Saved", "info");
    }, () => {});
  }
  const mediaForm = document.getElementById("media-upload");
  if (mediaForm) {
    mediaForm.onsubmit = ev => {
      ev.preventDefault();
      run(async () => {
        const saved = await api("POST", "/admin/media", new FormData(mediaForm));
        mediaForm.reset();
        await Promise.all([loadMedia(), loadChanges()]);
        toast(`Terunggah: ${saved.name} / Uploaded`, "info");
      }, () => {});
    };
  }
  const listen = document.getElementById("listen");
  if (listen) {  // a sample call with the form's draft, rendered by the displays' own voice
    listen.onclick = () => run(async () => {
      const sample = await api("POST", "/admin/announcement/preview", sectionFields("announcement"));
      toast(sample.text, "info");
      const audio = document.getElementById("listen-audio");
      audio.src = sample.speech_url;
      audio.play().catch(() => toast("Suara belum tersedia / Speech not available", "error"));  // not awaited: playing is not busy
    }, () => {});
  }
  for (const tab of document.querySelectorAll("[data-tab]")) {
    tab.onclick = () => {
      for (const other of document.querySelectorAll("[data-tab]")) other.setAttribute("aria-selected", String(other === tab));
      for (const panel of document.querySelectorAll("[data-panel]")) panel.hidden = panel.dataset.panel !== tab.dataset.tab;
    };
  }
  connect({}, {hall: reload}, () => {});
  reload();
})();
