/* The counter tablet: reload when the officer finishes the next ticket, so its survey appears. */
(function () {
  "use strict";
  var box = document.getElementById("survey");
  var socket = window.io("/survey", { auth: { counter: box.getAttribute("data-counter") }, transports: ["websocket"] });
  socket.on("connect", function () { box.setAttribute("data-live", "1"); });
  socket.on("finished", function (m) {
    if (m.ticket !== box.getAttribute("data-ticket")) { location.reload(); }
  });
}());
