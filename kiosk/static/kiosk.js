/* Kiosk: agencies -> service -> "Ambil Nomor" -> the number, live over Socket.IO.
   A number is shown only from the server's 201 answer; while the socket is down the kiosk says
   so and will not issue. Printing is asked for after the number is on screen, so a printer
   problem never hides the number. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kiosk-data").textContent);
  var TOKEN_KEY = "antrean.kiosk.token";
  var T = {
    id: {
      offline: "Sedang menyambung kembali…", home_title: "Silakan pilih layanan",
      search_hint: "Cari layanan: KTP, KK, akta, paspor, NPWP…", back: "‹ Kembali",
      requirements: "Syarat yang perlu dibawa", take: "Ambil Nomor", done: "Selesai",
      priority_title: "Termasuk kelompok prioritas? Ambil nomor prioritas:",
      your_number: "Nomor antrean Anda", qr_hint: "Pindai kode ini untuk memantau antrean di ponsel Anda",
      pair_title: "Kiosk belum dipasangkan", pair_button: "Pasangkan",
      pair_text: "Masukkan token perangkat kiosk dari petugas (antrean device add … --kind kiosk).",
      lang: "English", waiting: "menunggu", people: "orang", waiting_now: "Sedang menunggu",
      est_wait: "Perkiraan tunggu", quota_left: "Sisa kuota hari ini", completion: "Waktu penyelesaian",
      closed: "Tutup", none_found: "Layanan tidak ditemukan. Coba kata lain atau tanya petugas.",
      type_hint: "Ketik nama layanan", counters: "Loket", position: "Urutan Anda", ahead: "Di depan Anda",
      printing: "Mencetak tiket…", printed: "Silakan ambil tiket Anda di bawah layar.",
      print_failed: "Printer bermasalah — silakan foto nomor ini atau hubungi petugas",
      no_printer: "Kiosk ini tidak mencetak tiket — silakan foto nomor ini",
      issue_failed: "Nomor belum dapat diambil. Silakan coba lagi.", space: "Spasi", del: "Hapus", clear: "Bersihkan",
      soon: "segera", about: "sekitar", min: "menit", hour: "jam", unlimited: "Tidak dibatasi",
      bad_token: "Token kiosk tidak dikenal oleh server."
    },
    en: {
      offline: "Reconnecting…", home_title: "Please choose a service",
      search_hint: "Search: ID card (KTP), family card (KK), passport…", back: "‹ Back",
      requirements: "Documents to bring", take: "Take a number", done: "Done",
      priority_title: "Priority visitor? Take a priority number:",
      your_number: "Your queue number", qr_hint: "Scan this code to follow the queue on your phone",
      pair_title: "Kiosk not paired", pair_button: "Pair",
      pair_text: "Enter this kiosk's device token from staff (antrean device add … --kind kiosk).",
      lang: "Bahasa Indonesia", waiting: "waiting", people: "people", waiting_now: "Waiting now",
      est_wait: "Estimated wait", quota_left: "Quota left today", completion: "Completion time",
      closed: "Closed", none_found: "No service found. Try other words or ask staff.",
      type_hint: "Type a service name", counters: "Counters", position: "Your position", ahead: "Ahead of you",
      printing: "Printing your ticket…", printed: "Please take your ticket below the screen.",
      print_failed: "Printer problem — please photograph this number or ask staff",
      no_printer: "This kiosk does not print tickets — please photograph this number",
      issue_failed: "Could not take a number. Please try again.", space: "Space", del: "Delete", clear: "Clear",
      soon: "now", about: "about", min: "min", hour: "h", unlimited: "No limit",
      bad_token: "The server does not know this kiosk's token."
    }
  };
  var lang = "id", online = false, busy = false, token = null;
  var services = {}, order = [];          // service code -> queue JSON from the server, in hall order
  var current = { screen: "home", from: null, agency: null, service: null, ticket: null, job: null };
  var jobs = {};                          // print job id -> latest `print` event
  var pendingTake = null;                 // a tap whose answer never came: tapping again retries it
  var query = "", searchTimer = null, idleTimer = null, printTimer = null;
  var agencies = {};
  function useData(data) {               // the page's tiles and facts, from the page or /kiosk/data
    DATA = data;
    agencies = {};
    DATA.agencies.forEach(function (a) { agencies[a.code] = a; });
  }
  useData(DATA);

  function $(id) { return document.getElementById(id); }
  function t(key) { return T[lang][key]; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function waitText(s) {
    var m = Math.round((s || 0) / 60);
    if (m < 1) return t("soon");
    var h = Math.floor(m / 60), r = m % 60;
    if (!h) return t("about") + " " + m + " " + t("min");
    return t("about") + " " + h + " " + t("hour") + (r ? " " + r + " " + t("min") : "");
  }
  function fact(dl, label, value) {
    var d = el("div"); d.appendChild(el("dt", "", label)); d.appendChild(el("dd", "", value)); dl.appendChild(d);
  }

  // -- screens and idle timers ------------------------------------------------------------
  function show(name) {
    current.screen = name;
    document.querySelectorAll(".screen").forEach(function (s) { s.hidden = s.id !== "screen-" + name; });
    armIdle();
  }
  function armIdle(seconds) {
    clearTimeout(idleTimer);
    if (current.screen === "home" || current.screen === "pair") return;
    var wait = seconds || (current.screen === "result" ? DATA.result_idle_s : DATA.idle_s);
    idleTimer = setTimeout(home, wait * 1000);
  }
  function home() {
    current.agency = current.service = current.ticket = current.job = null;
    pendingTake = null;                   // the next visitor's tap is a new request
    clearTimeout(printTimer);
    renderTiles();
    show("home");
  }
  document.addEventListener("pointerdown", function () { if (current.screen !== "result") armIdle(); }, true);

  // -- language ---------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-t]").forEach(function (e) { e.textContent = t(e.getAttribute("data-t")); });
    $("lang").textContent = t("lang");
    renderKeyboard();
    rerender();
  }
  $("lang").addEventListener("click", function () { lang = lang === "id" ? "en" : "id"; applyLanguage(); });

  function tick() {
    var fmt = new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", { timeZone: DATA.timezone,
      weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
    $("clock").textContent = fmt.format(new Date());
  }

  // -- home: agency tiles ----------------------------------------------------------------
  function agencyServices(code) {
    return order.filter(function (c) { return services[c].agency.code === code; }).map(function (c) { return services[c]; });
  }
  function renderTiles() {
    var box = $("tiles");
    box.textContent = "";
    DATA.agencies.forEach(function (a) {
      var list = agencyServices(a.code);
      if (!list.length) return;
      var waiting = list.reduce(function (n, s) { return n + s.waiting; }, 0);
      var open = list.some(function (s) { return s.open; });
      var b = el("button", "tile" + (open ? "" : " closed"));
      b.type = "button";
      b.style.background = a.color; b.style.color = a.text_color;
      b.dataset.agency = a.code;
      b.appendChild(el("span", "short", a.short_name));
      if (a.name !== a.short_name) b.appendChild(el("span", "full", a.name));
      b.appendChild(el("span", "waiting", open ? waiting + " " + t("waiting") : t("closed")));
      b.addEventListener("click", function () { current.agency = a.code; renderAgency(); show("agency"); });
      box.appendChild(b);
    });
  }

  // -- lists of services -----------------------------------------------------------------
  function serviceRow(s, withAgency) {
    var b = el("button", "row" + (s.open ? "" : " closed"));
    b.type = "button";
    b.dataset.service = s.code;
    var left = el("span");
    left.appendChild(el("span", "name", s.name));
    if (withAgency) { left.appendChild(el("br")); left.appendChild(el("span", "sub", s.agency.name)); }
    b.appendChild(left);
    b.appendChild(el("span", "count", s.open ? s.waiting + " " + t("waiting") : t("closed")));
    b.addEventListener("click", function () {
      current.from = current.screen;
      current.service = s.code;
      renderService();
      show("service");
    });
    return b;
  }
  function renderAgency() {
    var a = agencies[current.agency];
    $("agency-name").textContent = a ? a.name : "";
    var box = $("agency-services");
    box.textContent = "";
    agencyServices(current.agency).forEach(function (s) { box.appendChild(serviceRow(s, false)); });
  }

  // -- search with the on-screen keyboard -------------------------------------------------
  var ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM-"];
  function renderKeyboard() {
    var kb = $("keyboard");
    kb.textContent = "";
    ROWS.forEach(function (row) {
      var line = el("div", "keys");
      row.split("").forEach(function (ch) { line.appendChild(key(ch, ch, function () { type(ch.toLowerCase()); })); });
      kb.appendChild(line);
    });
    var last = el("div", "keys");
    last.appendChild(key(t("clear"), "clear", function () { query = ""; searchChanged(); }, true));
    last.appendChild(key(t("space"), "space", function () { type(" "); }, true));
    last.appendChild(key("⌫ " + t("del"), "delete", function () { query = query.slice(0, -1); searchChanged(); }, true));
    kb.appendChild(last);
  }
  function key(label, name, action, wide) {
    var b = el("button", "key" + (wide ? " wide" : ""), label);
    b.type = "button";
    b.dataset.key = name;
    b.addEventListener("click", action);
    return b;
  }
  function type(ch) { if (query.length < 40) { query += ch; searchChanged(); } }
  function searchChanged() {
    $("search-text").textContent = query;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 120);
  }
  function runSearch() {
    var q = query.trim();
    var box = $("search-results");
    if (!q) { box.textContent = ""; box.appendChild(el("p", "empty", t("type_hint"))); return; }
    fetch("/kiosk/search?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (res) {
      if (res.query !== query) return;      // an older answer
      box.textContent = "";
      var found = res.services.filter(function (c) { return services[c]; });
      if (!found.length) box.appendChild(el("p", "empty", t("none_found")));
      found.forEach(function (c) { box.appendChild(serviceRow(services[c], true)); });
    }).catch(function () {});
  }
  $("search-open").addEventListener("click", function () { query = ""; searchChanged(); show("search"); });
  document.addEventListener("keydown", function (e) {   // a hardware keyboard works too (staff, tests)
    if (current.screen !== "search") return;
    if (e.key === "Backspace") { query = query.slice(0, -1); searchChanged(); }
    else if (e.key.length === 1) type(e.key.toLowerCase());
  });

  // -- one service ------------------------------------------------------------------------
  function renderService() {
    var s = services[current.service];
    if (!s) return;
    $("svc-agency").textContent = s.agency.name;
    $("svc-name").textContent = s.name;
    var closed = $("svc-closed");
    closed.hidden = s.open;
    closed.textContent = s.open ? "" : t("closed") + ": " + ((lang === "en" ? s.closed_reason_en : s.closed_reason) || "");
    var dl = $("svc-facts");
    dl.textContent = "";
    fact(dl, t("waiting_now"), s.waiting + " " + t("people"));
    fact(dl, t("est_wait"), waitText(s.estimated_wait_s));
    fact(dl, t("quota_left"), s.quota_left === null ? t("unlimited") : String(s.quota_left));
    if (s.completion_time) fact(dl, t("completion"), s.completion_time);
    var reqs = $("svc-reqs");
    reqs.textContent = "";
    (s.requirements || "").split(";").map(function (r) { return r.trim(); }).filter(Boolean)
      .forEach(function (r) { reqs.appendChild(el("li", "", r)); });
    var pbox = $("priority-buttons");
    pbox.textContent = "";
    DATA.priority.forEach(function (p) {
      var b = el("button", "", lang === "en" ? p.name_en : p.name);
      b.type = "button";
      b.dataset.priority = p.code;
      b.addEventListener("click", function () { take(p.code); });
      pbox.appendChild(b);
    });
    $("priority").hidden = !DATA.priority.length;
    updateTakeButtons();
  }
  function updateTakeButtons() {
    var s = services[current.service];
    var can = online && !busy && s && s.open && s.quota_left !== 0;
    $("take").disabled = !can;
    document.querySelectorAll("#priority-buttons button").forEach(function (b) { b.disabled = !can; });
  }
  $("take").addEventListener("click", function () { take(null); });

  function showError(text) { var e = $("svc-error"); e.textContent = text; e.hidden = !text; }

  // One key per "Ambil Nomor": a retry after a lost answer gets the ticket the first try issued.
  function requestKey() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);         // (randomUUID needs https; the hall LAN is plain http)
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function postTicket(request, triesLeft) {
    var body = { service: request.service };
    if (request.priority) body.priority = request.priority;
    return fetch("/api/v1/tickets", { method: "POST", headers: { "Content-Type": "application/json",
      "Authorization": "Bearer " + token, "Idempotency-Key": request.key }, body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (j) { return { ok: r.status === 201 || r.status === 200, body: j }; });
      })
      .catch(function (err) {            // no answer: ask again with the same key while the server is there
        if (triesLeft <= 1 || !online) throw err;
        return new Promise(function (done) { setTimeout(done, 700); }).then(function () {
          return postTicket(request, triesLeft - 1);
        });
      });
  }
  function take(priority) {
    if (!online || busy) return;           // never issue without the server
    busy = true;
    showError("");
    updateTakeButtons();
    priority = priority || null;
    if (!pendingTake || pendingTake.service !== current.service || pendingTake.priority !== priority) {
      pendingTake = { service: current.service, priority: priority, key: requestKey() };
    }
    postTicket(pendingTake, 3)
      .then(function (res) {
        pendingTake = null;                  // answered: the next tap is a new request
        if (!res.ok) {
          var e = res.body.error || {};
          showError((lang === "en" ? e.message_en : e.message) || t("issue_failed"));
          return;
        }
        showResult(res.body);
        requestPrint(res.body);
      })
      .catch(function () { showError(t("issue_failed")); })
      .then(function () { busy = false; updateTakeButtons(); });
  }

  // -- the result and its print -----------------------------------------------------------
  function showResult(ticket) {
    current.ticket = ticket;
    current.job = null;
    $("res-number").textContent = ticket.number;
    $("res-service").textContent = ticket.service.name;
    $("res-agency").textContent = ticket.agency.name;
    renderResultFacts();
    $("res-qr").src = "/t/" + encodeURIComponent(ticket.id) + "/qr.svg";
    setPrint("", t("printing"));
    show("result");
  }
  function renderResultFacts() {
    var ticket = current.ticket;
    if (!ticket) return;
    var dl = $("res-facts");
    dl.textContent = "";
    fact(dl, t("position"), String(ticket.position));
    fact(dl, t("est_wait"), waitText(ticket.estimated_wait_s));
    fact(dl, t("ahead"), ticket.people_ahead + " " + t("people"));
    fact(dl, t("counters"), (DATA.counters[ticket.service.code] || []).join(", "));
  }
  function setPrint(kind, text) {
    var box = $("res-print");
    box.className = "print-state" + (kind ? " " + kind : "");
    box.textContent = text;
    box.dataset.state = kind || "pending";
  }
  function printFailed() {
    setPrint("bad", t("print_failed"));
    armIdle(DATA.idle_s);                  // time to take a photo
  }
  function requestPrint(ticket) {
    fetch("/api/v1/tickets/" + encodeURIComponent(ticket.id) + "/print", { method: "POST",
      headers: { "Authorization": "Bearer " + token } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (res) {
        if (current.ticket !== ticket) return;
        if (!res.job) { setPrint("bad", t("no_printer")); armIdle(DATA.idle_s); return; }
        current.job = res.job.id;
        clearTimeout(printTimer);
        printTimer = setTimeout(function () {   // no event came (socket hiccup?): ask once, then give up
          fetch("/api/v1/print-jobs/" + encodeURIComponent(res.job.id), { headers: { "Authorization": "Bearer " + token } })
            .then(function (r) { return r.json(); })
            .then(function (job) { if (job.state === "printed") applyJob(job); else if (current.job === job.id) printFailed(); })
            .catch(function () { if (current.job === res.job.id) printFailed(); });
        }, DATA.print_wait_s * 1000);
        applyJob(jobs[res.job.id] || res.job);
      })
      .catch(function () { if (current.ticket === ticket) printFailed(); });
  }
  function applyJob(job) {
    if (!job || job.id !== current.job) return;
    if (job.state === "printed") { clearTimeout(printTimer); setPrint("ok", t("printed")); }
    else if (job.state === "failed") { clearTimeout(printTimer); printFailed(); }
  }
  $("done").addEventListener("click", home);
  document.querySelectorAll(".back").forEach(function (b) {
    b.addEventListener("click", function () {
      if (current.screen === "service" && current.from && current.from !== "home") show(current.from);
      else home();
    });
  });

  function rerender() {
    renderTiles();
    if (current.agency) renderAgency();
    if (current.service) renderService();
    if (current.screen === "search") runSearch();
    if (current.ticket) { renderResultFacts(); }
    var box = $("res-print");
    if (current.ticket && box.dataset.state) {
      var key = { ok: "printed", bad: current.job ? "print_failed" : "no_printer", pending: "printing" }[box.dataset.state];
      box.textContent = t(key);
    }
  }

  // -- the server, live -------------------------------------------------------------------
  function setOnline(value) {
    online = value;
    $("offline").hidden = value;
    document.body.classList.toggle("is-offline", !value);
    if (current.service) updateTakeButtons();
  }
  function merge(list) {
    list.forEach(function (s) {
      if (!services[s.code]) order.push(s.code);
      services[s.code] = s;
    });
  }
  function refreshData() {             // after an admin edit or time offline: new tiles without a reload
    fetch("/kiosk/data").then(function (r) { return r.json(); }).then(function (data) {
      if (data.version === DATA.version) return;
      useData(data);
      tick();
      rerender();
    }).catch(function () {});
  }
  function connect() {
    var opts = { auth: { token: token }, transports: ["websocket"], reconnectionDelay: 500,
      reconnectionDelayMax: 2000, timeout: 4000 };
    var kiosk = io("/kiosk", opts);
    var printing = io("/print", opts);
    kiosk.on("connect", function () { setOnline(true); refreshData(); });
    kiosk.on("disconnect", function () { setOnline(false); });
    kiosk.on("connect_error", function (err) {
      setOnline(false);
      if (err && /rejected/i.test(err.message || "")) {   // the server does not know this token
        localStorage.removeItem(TOKEN_KEY);
        $("pair-token").value = "";
        show("pair");
        $("offline").hidden = true;
        showPairError();
      }
    });
    kiosk.on("state", function (state) { services = {}; order = []; merge(state.queues); rerender(); });
    kiosk.on("queue", function (ev) { merge(ev.services); rerender(); });
    kiosk.on("hall", function () { kiosk.disconnect().connect(); });   // an admin edit: a fresh `state`
    printing.on("print", function (job) { jobs[job.id] = job; applyJob(job); });
  }
  function showPairError() { $("pair-token").placeholder = t("bad_token"); }

  // -- pairing: /kiosk?token=... once, remembered by this browser ------------------------
  $("pair-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = $("pair-token").value.trim();
    if (!value) return;
    localStorage.setItem(TOKEN_KEY, value);
    location.replace(location.pathname);
  });
  var params = new URLSearchParams(location.search);
  if (params.get("token")) {
    localStorage.setItem(TOKEN_KEY, params.get("token"));
    history.replaceState(null, "", location.pathname);
  }
  token = localStorage.getItem(TOKEN_KEY);
  tick();
  setInterval(tick, 10000);
  applyLanguage();
  if (!token) { show("pair"); return; }
  setOnline(false);
  $("offline").hidden = true;              // not "reconnecting" before the first attempt
  home();
  connect();
})();
