/* The phone page, live: a few lines of the Socket.IO v5 / Engine.IO v4 protocol over one
   WebSocket instead of the 48 KB client, because cheap phones on hall Wi-Fi should load fast.
   Packets: "0{..}" open, "2" ping -> "3" pong, "40/track,{auth}" join, "42/track,[event, data]". */
(function () {
  "use strict";
  var app = document.getElementById("app");
  var id = app.getAttribute("data-ticket");
  var ns = "/track", last = { status: null, recalls: 0 }, delay = 1000;

  function set(elId, text) { document.getElementById(elId).textContent = text; }
  function show(t) {
    var called = t.status === "called" || t.status === "serving";
    document.getElementById("called").hidden = !called;
    document.getElementById("waiting").hidden = t.status !== "waiting";
    document.getElementById("survey-link").hidden = t.status !== "done";
    set("called-text", t.status === "serving" ? "Sedang dilayani di" : "Silakan menuju");
    set("counter", t.counter ? t.counter.name : "");
    set("position", t.position || "");
    set("ahead", t.people_ahead || 0);
    set("wait", t.wait_text || "");
    set("status", t.status_label);
    set("service", t.service.name);
    if (t.status === "called" && (last.status !== "called" || t.recalls > last.recalls) && navigator.vibrate) {
      navigator.vibrate([400, 200, 400, 200, 400]);
    }
    last = { status: t.status, recalls: t.recalls };
  }
  function live(on) {
    var p = document.getElementById("live");
    p.className = on ? "live" : "live off";
    p.textContent = on ? "● Diperbarui langsung" : "Menyambung kembali…";
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      "/socket.io/?EIO=4&transport=websocket");
    ws.onmessage = function (m) {
      var d = m.data;
      if (d === "2") { ws.send("3"); return; }
      if (d.charAt(0) === "0") { ws.send("40" + ns + "," + JSON.stringify({ ticket: id })); return; }
      if (d.indexOf("40" + ns) === 0) { live(true); delay = 1000; return; }
      if (d.indexOf("42" + ns + ",") === 0) {
        var msg = JSON.parse(d.slice(ns.length + 3));
        if (msg[0] === "ticket") show(msg[1]);
      }
    };
    ws.onclose = function () { live(false); setTimeout(connect, delay); delay = Math.min(delay * 2, 15000); };
  }
  connect();
})();
