/* Draws every chart of the page with Plotly.
 *
 * A chart is a <script type="application/json" data-chart="ID"> holding a figure
 * ({data, layout, config}) and a <div id="ID"> to draw it in; see
 * templates/includes/chart.html. Pages carry no inline script (the CSP allows
 * scripts from this site only), and plotly.min.js, which is large, is loaded
 * only on pages that have a chart.
 *
 * Colours written as "var(--name)" are read from the stylesheet, so that charts
 * and pages share one palette (static/css/app.css).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlySrc = script && script.getAttribute("data-plotly-src");
  var VAR_PATTERN = /^var\((--[A-Za-z0-9_-]+)\)$/;

  function cssVariable(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // Replaces every "var(--x)" string inside a figure by the stylesheet's value.
  function resolveColours(value) {
    if (typeof value === "string") {
      var match = VAR_PATTERN.exec(value);
      return match ? cssVariable(match[1]) || value : value;
    }
    if (Array.isArray(value)) {
      return value.map(resolveColours);
    }
    if (value && typeof value === "object") {
      var resolved = {};
      Object.keys(value).forEach(function (key) {
        resolved[key] = resolveColours(value[key]);
      });
      return resolved;
    }
    return value;
  }

  function baseLayout() {
    var text = cssVariable("--color-text") || "#17202b";
    var grid = cssVariable("--color-border") || "#d5dce5";
    var font = cssVariable("--font-sans") || "sans-serif";
    return {
      font: { family: font, color: text, size: 13 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      margin: { l: 56, r: 16, t: 16, b: 48 },
      xaxis: { gridcolor: grid, zerolinecolor: grid, automargin: true },
      yaxis: { gridcolor: grid, zerolinecolor: grid, automargin: true },
      legend: { orientation: "h", y: -0.2 },
      hoverlabel: { font: { family: font } },
    };
  }

  function merge(base, extra) {
    var out = {};
    Object.keys(base).forEach(function (key) {
      out[key] = base[key];
    });
    Object.keys(extra || {}).forEach(function (key) {
      var both = out[key] && typeof out[key] === "object" && !Array.isArray(out[key]);
      out[key] = both && typeof extra[key] === "object" ? merge(out[key], extra[key]) : extra[key];
    });
    return out;
  }

  // Where a click on a point leads: the trace's meta.drilldown, else the chart's
  // config.drilldown. Either is a list indexed like the points (nested for heat
  // maps, whose points are [row, column]; null where there is nowhere to go) or
  // a URL template with {x} and {y}. Only this site's own paths are followed.
  function drilldownUrl(chartDrill, point) {
    var drill = (point.data && point.data.meta && point.data.meta.drilldown) || chartDrill;
    var url = drill;
    if (typeof drill === "string") {
      url = drill
        .replace(/\{x\}/g, encodeURIComponent(point.x))
        .replace(/\{y\}/g, encodeURIComponent(point.y));
    } else if (Array.isArray(drill)) {
      var index = point.pointNumber;
      var path = Array.isArray(index) ? index : [index];
      for (var i = 0; i < path.length && Array.isArray(url); i++) {
        url = url[path[i]];
      }
    }
    var local = typeof url === "string" && /^\/(?![\/\\])/.test(url);
    return local ? url : null;
  }

  function followDrilldown(target, chartDrill) {
    target.classList.add("chart__plot--drill");
    target.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && drilldownUrl(chartDrill, point);
      if (url) {
        window.location.assign(url);
      }
    });
  }

  function hasTraceDrilldown(data) {
    return (data || []).some(function (trace) {
      return trace.meta && trace.meta.drilldown;
    });
  }

  // The page's language for month names, separators and the toolbar (base.html puts it
  // in #chart-locale); registered with Plotly once.
  var registeredLocale;
  function pageLocale() {
    if (registeredLocale !== undefined) {
      return registeredLocale;
    }
    registeredLocale = null;
    var source = document.getElementById("chart-locale");
    if (source) {
      try {
        var locale = JSON.parse(source.textContent);
        window.Plotly.register({
          moduleType: "locale",
          name: locale.name,
          dictionary: locale.dictionary,
          format: locale.format,
        });
        registeredLocale = locale.name;
      } catch (error) {
        registeredLocale = null; // English month names are better than no chart.
      }
    }
    return registeredLocale;
  }

  // Plotly lays a chart out from its settings, not from the text it draws: a translated
  // axis title longer than the plot, a radar label past the chart's edge or a legend up
  // under the modebar show only once drawn. This pass measures them and makes room. It
  // only ever adds room, so it settles; a chart that cannot be fitted stops after a few tries.
  var FIT_TRIES = 3;
  var VERTICAL_TITLES = [
    ["yaxis", ".g-ytitle text"],
    ["yaxis2", ".g-y2title text"],
  ];

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // The title in two lines, broken at the space nearest its middle (null without one).
  function twoLines(text) {
    var middle = text.length / 2;
    var best = -1;
    for (var i = 0; i < text.length; i++) {
      var nearer = best < 0 || Math.abs(i - middle) < Math.abs(best - middle);
      if (text[i] === " " && nearer) {
        best = i;
      }
    }
    return best < 0 ? null : text.slice(0, best) + "<br>" + text.slice(best + 1);
  }

  function titleText(axis) {
    var title = axis && axis.title;
    return typeof title === "string" ? title : title && title.text;
  }

  function layoutFixes(target) {
    var size = target._fullLayout && target._fullLayout._size;
    var svg = target.querySelector("svg.main-svg");
    if (!size || !svg) {
      return {};
    }
    var edges = svg.getBoundingClientRect();
    var fixes = {};
    VERTICAL_TITLES.forEach(function (pair) {
      var node = target.querySelector(pair[1]);
      var text = titleText(target.layout[pair[0]]);
      var tooLong = node && text && node.getBoundingClientRect().height > size.h;
      if (tooLong && text.indexOf("<br>") < 0) {
        var wrapped = twoLines(text);
        if (wrapped) {
          fixes[pair[0] + ".title.text"] = wrapped;
        }
      }
    });
    var left = 0;
    var right = 0;
    Array.prototype.forEach.call(target.querySelectorAll(".angularaxistick text"), function (node) {
      var box = node.getBoundingClientRect();
      left = Math.max(left, edges.left - box.left);
      right = Math.max(right, box.right - edges.right);
    });
    if (left > 0) {
      fixes["margin.l"] = size.l + Math.ceil(left) + 8;
    }
    if (right > 0) {
      fixes["margin.r"] = size.r + Math.ceil(right) + 8;
    }
    var modebar = target.querySelector(".modebar");
    if (modebar) {
      var bar = modebar.getBoundingClientRect();
      var under = 0;
      Array.prototype.forEach.call(target.querySelectorAll(".legend .traces"), function (entry) {
        var box = entry.getBoundingClientRect();
        if (overlaps(box, bar)) {
          under = Math.max(under, bar.bottom - box.top);
        }
      });
      if (under > 0) {
        fixes["margin.t"] = size.t + Math.ceil(under) + 4;
      }
    }
    return fixes;
  }

  function fitLayout(target) {
    var fixes = layoutFixes(target);
    if (!Object.keys(fixes).length) {
      target.fitTries = 0;
      return;
    }
    if ((target.fitTries || 0) >= FIT_TRIES) {
      return;
    }
    target.fitTries = (target.fitTries || 0) + 1;
    window.Plotly.relayout(target, fixes);
  }

  function renderOne(source) {
    var target = document.getElementById(source.getAttribute("data-chart"));
    if (!target) {
      return;
    }
    var figure;
    try {
      figure = resolveColours(JSON.parse(source.textContent));
    } catch (error) {
      return; // The "View data" table still shows the figures.
    }
    // "Share chart" would upload the figures to Plotly's cloud: program data stays here.
    var config = merge(
      {
        responsive: true,
        displaylogo: false,
        modeBarButtonsToRemove: ["lasso2d", "select2d", "sendChartToCloud"],
      },
      figure.config
    );
    var locale = pageLocale();
    if (locale) {
      config.locale = locale;
    }
    var drilldown = config.drilldown;
    delete config.drilldown; // Ours, not a Plotly setting.
    target.textContent = "";
    window.Plotly.newPlot(target, figure.data || [], merge(baseLayout(), figure.layout), config).then(
      function () {
        if (drilldown || hasTraceDrilldown(figure.data)) {
          followDrilldown(target, drilldown);
        }
        // Again after every redraw: a narrower window wraps a legend into more rows.
        target.on("plotly_afterplot", function () {
          fitLayout(target);
        });
        fitLayout(target);
      }
    );
  }

  function renderAll(sources) {
    Array.prototype.forEach.call(sources, renderOne);
  }

  function loadPlotly(callback) {
    if (window.Plotly) {
      callback();
      return;
    }
    if (!plotlySrc) {
      return;
    }
    var tag = document.createElement("script");
    tag.src = plotlySrc;
    tag.onload = callback;
    document.head.appendChild(tag);
  }

  // Printing opens the "View data" tables so that the figures are on paper too.
  function openDataForPrint() {
    var closed = document.querySelectorAll("details.chart__data:not([open])");
    Array.prototype.forEach.call(closed, function (details) {
      details.setAttribute("open", "");
      details.setAttribute("data-opened-for-print", "");
    });
  }

  function closeDataAfterPrint() {
    var opened = document.querySelectorAll("details[data-opened-for-print]");
    Array.prototype.forEach.call(opened, function (details) {
      details.removeAttribute("open");
      details.removeAttribute("data-opened-for-print");
    });
  }

  function start() {
    var sources = document.querySelectorAll('script[type="application/json"][data-chart]');
    if (!sources.length) {
      return;
    }
    window.addEventListener("beforeprint", openDataForPrint);
    window.addEventListener("afterprint", closeDataAfterPrint);
    loadPlotly(function () {
      renderAll(sources);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
