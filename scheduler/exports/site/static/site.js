// The week switcher: marks the week shown, opens this week's timetable when the term is on,
// and keeps the week when the reader switches language. Without it the site still works.
(function () {
  "use strict";
  var body = document.body;
  var views = document.querySelectorAll(".view");
  if (!views.length) { return; }

  function shown() {
    var id = decodeURIComponent(location.hash.slice(1));
    var view = id && document.getElementById(id);
    return view && view.classList.contains("view") ? id : body.dataset.defaultView;
  }

  function mark() {
    var id = shown();
    document.querySelectorAll("[data-view-link]").forEach(function (a) {
      if (a.dataset.viewLink === id) { a.setAttribute("aria-current", "true"); }
      else { a.removeAttribute("aria-current"); }
    });
    document.querySelectorAll(".langs a").forEach(function (a) {
      a.href = a.href.split("#")[0] + "#" + id;
    });
  }

  if (!location.hash) {
    var today = new Date();
    var iso = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
    document.querySelectorAll(".view.week").forEach(function (week) {
      var monday = week.dataset.monday;
      var sunday = new Date(monday + "T00:00:00");
      sunday.setDate(sunday.getDate() + 6);
      var last = sunday.getFullYear() + "-" + String(sunday.getMonth() + 1).padStart(2, "0") +
        "-" + String(sunday.getDate()).padStart(2, "0");
      if (monday <= iso && iso <= last) { location.replace("#" + week.id); }
    });
  }
  window.addEventListener("hashchange", mark);
  mark();
}());
