// The static edition's one script: a chart's values on tap, hover and keyboard. The picture
// stays an <img>; beside each SVG the build wrote its marks (/c/KEY.json: each mark's text,
// outline and box, on that picture's own pixels), fetched when the chart nears the screen.
// Without this script every page reads as before: the picture, then its table.
(function () {
  "use strict";
  var live = document.getElementById("nexi-live");
  var charts = document.querySelectorAll(".plot[data-marks]");
  if (!live || !charts.length || !window.fetch || !window.Path2D) return;
  var NS = "http://www.w3.org/2000/svg";
  var pen = document.createElement("canvas").getContext("2d");
  var tip = document.createElement("div");
  tip.id = "nexi-tip";
  tip.className = "tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  var ring = document.createElementNS(NS, "svg");
  ring.setAttribute("class", "ring");
  ring.setAttribute("aria-hidden", "true");
  ring.setAttribute("focusable", "false");
  var outline = document.createElementNS(NS, "path");
  ring.appendChild(outline);
  var shown = null; // {chart, i}

  function source(chart) {
    var img = chart.querySelector("img");
    return (img.currentSrc || img.src).replace(/\.svg$/, ".json");
  }

  // The marks of the picture the browser chose (phone or desktop), loaded once each.
  function load(chart) {
    var src = source(chart);
    if (chart._src !== src) {
      chart._src = src;
      chart._marks = fetch(src).then(function (r) {
        if (!r.ok) throw new Error(src + ": " + r.status);
        return r.json();
      }).then(function (data) {
        data.m.forEach(function (m) { m.p = new Path2D(m.d); });
        chart.setAttribute("data-ready", "");
        return data;
      });
    }
    return chart._marks;
  }

  function hide() {
    if (!shown) return;
    shown.chart.setAttribute("aria-describedby", "nexi-keys");
    tip.hidden = true;
    if (ring.parentNode) ring.parentNode.removeChild(ring);
    shown = null;
  }

  function show(chart, data, i, announce) {
    var m = data.m[i], lines = m.t.split("\n");
    shown = {chart: chart, data: data, i: i};
    tip.textContent = "";
    lines.forEach(function (line, n) {
      var el = document.createElement(n ? "span" : "strong");
      el.textContent = line;
      tip.appendChild(el);
    });
    ring.setAttribute("viewBox", "0 0 " + data.w + " " + data.h);
    outline.setAttribute("d", m.d);
    var box = chart.querySelector("picture");
    box.appendChild(ring);
    box.appendChild(tip);
    tip.hidden = false;
    chart.setAttribute("aria-describedby", tip.id);
    // Above the mark when there is room, else below; always inside the chart's width.
    var scale = box.clientWidth / data.w, b = m.b;
    var left = (b[0] + b[2] / 2) * scale - tip.offsetWidth / 2;
    left = Math.max(0, Math.min(left, box.clientWidth - tip.offsetWidth));
    var top = b[1] * scale - tip.offsetHeight - 8;
    if (top < 0) top = (b[1] + b[3]) * scale + 8;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
    if (announce) live.textContent = lines.join(", ") + " (" + (i + 1) + "/" + data.m.length + ")";
  }

  // The mark under a point of the picture: the smallest outline holding it, else the nearest
  // box within a fingertip (a thin bar, a small marker).
  function hit(data, x, y, reach) {
    var best = -1, area = Infinity, near = reach;
    data.m.forEach(function (m, i) {
      var b = m.b;
      if (pen.isPointInPath(m.p, x, y)) {
        if (b[2] * b[3] < area) { area = b[2] * b[3]; best = i; }
        near = -1;
      } else if (near >= 0) {
        var dx = Math.max(b[0] - x, 0, x - b[0] - b[2]);
        var dy = Math.max(b[1] - y, 0, y - b[1] - b[3]);
        var d = Math.sqrt(dx * dx + dy * dy);
        if (d < near) { near = d; best = i; }
      }
    });
    return best;
  }

  function point(chart, event) {
    var img = chart.querySelector("img");
    if (event.target === tip || tip.contains(event.target)) return;
    load(chart).then(function (data) {
      var rect = img.getBoundingClientRect(), k = data.w / rect.width;
      var i = hit(data, (event.clientX - rect.left) * k, (event.clientY - rect.top) * k,
                  (event.pointerType === "mouse" ? 4 : 16) * k);
      if (i < 0) hide();
      else if (!shown || shown.chart !== chart || shown.i !== i) show(chart, data, i, true);
    });
  }

  function key(chart, event) {
    var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
    if (event.key === "Escape") { hide(); return; }
    if (!step && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    load(chart).then(function (data) {
      var n = data.m.length, at = shown && shown.chart === chart ? shown.i : -1;
      var i = event.key === "Home" ? 0 : event.key === "End" ? n - 1
        : at < 0 ? (step > 0 ? 0 : n - 1) : Math.max(0, Math.min(n - 1, at + step));
      show(chart, data, i, true);
    });
  }

  var watch = window.IntersectionObserver && new IntersectionObserver(function (seen) {
    seen.forEach(function (e) {
      if (e.isIntersecting) { watch.unobserve(e.target); load(e.target); }
    });
  }, {rootMargin: "300px"});

  Array.prototype.forEach.call(charts, function (chart) {
    var img = chart.querySelector("img");
    chart.tabIndex = 0;
    chart.setAttribute("role", "group");
    chart.setAttribute("aria-label", img.alt);
    chart.setAttribute("aria-roledescription", live.getAttribute("data-chart"));
    chart.setAttribute("aria-describedby", "nexi-keys");
    chart.addEventListener("keydown", function (e) { key(chart, e); });
    chart.addEventListener("focus", function () { load(chart); });
    chart.addEventListener("blur", function (e) {
      if (!chart.contains(e.relatedTarget)) hide();
    });
    chart.addEventListener("click", function (e) { point(chart, e); });
    chart.addEventListener("pointermove", function (e) {
      if (e.pointerType === "mouse") point(chart, e);
    });
    chart.addEventListener("pointerleave", function (e) {
      if (e.pointerType === "mouse" && shown && shown.chart === chart) hide();
    });
    if (watch) watch.observe(chart); else load(chart);
  });
  // A timeline (the regions map): each year's link opens that year's page; here it swaps the
  // year's picture in, drawn on the same classed scale, and its marks follow. A short fade
  // marks the change, unless the reader asks for less motion.
  var calm = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)");
  Array.prototype.forEach.call(document.querySelectorAll("nav.timeline"), function (nav) {
    var plot = nav.previousElementSibling, section = nav.closest("section");
    var heading = section && section.querySelector("h2, h3");
    if (!plot || !plot.matches(".plot[data-marks]")) return;
    nav.addEventListener("click", function (e) {
      var a = e.target.closest("a[data-src]");
      if (!a) return;
      e.preventDefault();
      var img = plot.querySelector("img");
      if (shown && shown.chart === plot) hide();
      plot.querySelector("source").srcset = a.getAttribute("data-phone");
      img.src = a.getAttribute("data-src");
      img.alt = a.getAttribute("data-alt");
      plot.setAttribute("aria-label", img.alt);
      if (heading) heading.textContent = a.getAttribute("data-title");
      Array.prototype.forEach.call(nav.querySelectorAll("a"), function (x) {
        if (x === a) x.setAttribute("aria-current", "true"); else x.removeAttribute("aria-current");
      });
      plot._src = null;
      plot.removeAttribute("data-ready");
      live.textContent = a.getAttribute("data-title");
      if (img.animate && !(calm && calm.matches)) {
        img.animate([{opacity: 0.35}, {opacity: 1}], {duration: 250, easing: "ease-out"});
      }
    });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("click", function (e) {
    if (shown && !shown.chart.contains(e.target)) hide();
  });
})();
