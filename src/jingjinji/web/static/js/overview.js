/* 总览: the region map — prefecture boundaries, the five corridors, parks and platforms.
 * Data: /api/geo/places.geojson, /api/corridors, /api/parks, /api/platforms, /api/places/{adcode}.
 * Clicking a city (or a point) opens the side panel with its corridors, parks and industries. */
(function () {
  "use strict";

  var MAP_NAME = "jingjinji";
  var CORRIDOR_COLORS = ["#d53f8c", "#dd6b20", "#805ad5", "#2f855a", "#3182ce"];
  var TIER_COLORS = { "2": "#c53030", "4": "#d9822b", N: "#2b6cb0" };
  var TIER_LABELS = { "2": "集中承载地", "4": "战略合作功能区", N: "专业化特色化平台" };
  var PARKS = "高新区联盟";
  var PLATFORMS = "“2+4+N”承接平台";
  var AREA_COLORS = { "11": "#fde2e2", "12": "#e2ecfb", "13": "#f3f7ee" };
  /* Where corridors and markers crowd a city's label, move the label aside (pixels). */
  var LABEL_OFFSETS = {
    "110000": [-40, -16], "120000": [-4, 42], "130100": [0, 30], "130700": [0, 32],
  };

  var mapEl = document.getElementById("overview-map");
  var panel = document.getElementById("place-panel");
  if (!mapEl || !panel || typeof echarts === "undefined") {
    return;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + "：HTTP " + response.status);
      }
      return response.json();
    });
  }

  function shortLabel(name) {
    return name.replace(/产业廊道$/, "");
  }

  function buildOption(geo, corridors, parks, platforms) {
    var regions = geo.features.map(function (feature) {
      var code = feature.properties.adcode;
      var region = {
        name: feature.properties.name,
        itemStyle: { areaColor: AREA_COLORS[code.slice(0, 2)] },
      };
      if (LABEL_OFFSETS[code]) {
        region.label = { offset: LABEL_OFFSETS[code] };
      }
      return region;
    });
    var corridorSeries = corridors.map(function (corridor, index) {
      var color = CORRIDOR_COLORS[index % CORRIDOR_COLORS.length];
      return {
        name: shortLabel(corridor.name),
        type: "lines",
        coordinateSystem: "geo",
        polyline: true,
        zlevel: 1,
        lineStyle: { color: color, width: 4, opacity: 0.85, cap: "round", join: "round" },
        emphasis: { lineStyle: { width: 7 } },
        data: [
          {
            name: corridor.name,
            slug: corridor.slug,
            coords: corridor.places.map(function (p) { return [p.lon, p.lat]; }),
            route: corridor.places.map(function (p) { return p.short_name; }).join(" → "),
          },
        ],
      };
    });
    var parkSeries = {
      name: PARKS,
      type: "scatter",
      coordinateSystem: "geo",
      zlevel: 2,
      symbol: "circle",
      symbolSize: function (value, params) {
        return params.data.level === "national" ? 13 : 10;
      },
      itemStyle: { color: "#e53e3e", borderColor: "#fff", borderWidth: 1.5 },
      label: { show: false, formatter: "{b}", position: "right", fontSize: 12, color: "#742a2a" },
      emphasis: { label: { show: true } },
      data: parks.map(function (park) {
        return {
          name: park.name,
          value: [park.lon, park.lat],
          fullName: park.full_name,
          level: park.level,
          unit: park.prefecture_unit,
        };
      }),
    };
    var platformSeries = {
      name: PLATFORMS,
      type: "scatter",
      coordinateSystem: "geo",
      zlevel: 2,
      symbol: "diamond",
      symbolSize: 14,
      itemStyle: { color: TIER_COLORS["4"], borderColor: "#fff", borderWidth: 1 },
      label: { show: false, formatter: "{b}", position: "left", fontSize: 12, color: "#1a365d" },
      emphasis: { label: { show: true } },
      data: platforms.map(function (platform) {
        return {
          name: platform.name,
          value: [platform.lon, platform.lat],
          tier: platform.tier,
          unit: platform.places[0].adcode,
          itemStyle: { color: TIER_COLORS[platform.tier] },
        };
      }),
    };
    var cityLabels = {};
    geo.features.forEach(function (f) { cityLabels[f.properties.name] = f.properties.short_name; });
    return {
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var d = params.data || {};
          if (params.seriesType === "lines") {
            return params.name + "<br>" + (d.route || "");
          }
          if (params.seriesName === PARKS) {
            return d.fullName + "<br>" + (d.level === "national" ? "国家级高新区" : "省级高新区");
          }
          if (params.seriesName === PLATFORMS) {
            return params.name + "<br>" + d.tier + " · " + TIER_LABELS[d.tier];
          }
          return params.name;
        },
      },
      legend: {
        orient: "vertical",
        right: 10,
        top: 10,
        backgroundColor: "rgba(255,255,255,.85)",
        borderColor: "#dde3ea",
        borderWidth: 1,
        padding: [8, 12],
        itemGap: 8,
        textStyle: { fontSize: 13 },
        data: corridorSeries
          .map(function (s) { return { name: s.name, icon: "roundRect" }; })
          .concat([{ name: PARKS, icon: "circle" }, { name: PLATFORMS, icon: "diamond" }]),
      },
      geo: {
        map: MAP_NAME,
        roam: true,
        zoom: 1.12,
        center: [116.75, 39.35],
        scaleLimit: { min: 0.8, max: 6 },
        selectedMode: "single",
        label: {
          show: true,
          fontSize: 13,
          fontWeight: 600,
          color: "#2d3748",
          offset: [0, 16],
          backgroundColor: "rgba(255,255,255,0.75)",
          borderRadius: 3,
          padding: [1, 4],
          formatter: function (params) { return cityLabels[params.name] || params.name; },
        },
        itemStyle: { borderColor: "#7f8c9d", borderWidth: 1, areaColor: "#f3f7ee" },
        emphasis: { label: { color: "#08345f" }, itemStyle: { areaColor: "#fefcbf" } },
        select: { label: { color: "#08345f" }, itemStyle: { areaColor: "#fbd38d" } },
        regions: regions,
      },
      series: [
        {
          name: "地级单元",
          type: "map",
          geoIndex: 0,
          data: geo.features.map(function (f) {
            return { name: f.properties.name, adcode: f.properties.adcode };
          }),
        },
      ]
        .concat(corridorSeries)
        .concat([parkSeries, platformSeries]),
    };
  }

  function section(title, items, render) {
    if (!items.length) {
      return null;
    }
    return el("section", { "data-section": title }, [
      el("h3", {}, [title + "（" + items.length + "）"]),
      el("ul", {}, items.map(function (item) { return el("li", {}, [render(item)]); })),
    ]);
  }

  function showPlace(adcode) {
    var body = panel.querySelector(".side-body");
    var empty = panel.querySelector(".side-empty");
    getJson("/api/places/" + adcode)
      .then(function (place) {
        var related = place.related;
        var counties = place.children.length;
        var parts = [
          el("h2", { "data-adcode": place.adcode }, [place.name]),
          el("p", { class: "place-meta" }, [
            "行政区划代码 " + place.adcode + (counties ? " · 下辖 " + counties + " 个单元" : ""),
          ]),
          section("产业廊道", related.corridors, function (i) { return i.name; }),
          section("高新区", related.parks, function (i) { return i.name; }),
          section("承接平台", related.platforms, function (i) { return i.name; }),
          section("4带1园", related.belts, function (i) { return i.name; }),
          section("都市圈", related.circles, function (i) { return i.name; }),
          section("重点产业", related.industries, function (i) {
            return el("a", { href: "/chains/" + i.slug }, [i.name]);
          }),
        ];
        if (!related.corridors.length && !related.parks.length && !related.industries.length) {
          parts.push(el("p", { class: "muted" }, ["暂无关联的廊道、园区或产业。"]));
        }
        body.replaceChildren.apply(body, parts.filter(Boolean));
        body.hidden = false;
        empty.hidden = true;
        panel.setAttribute("data-adcode", place.adcode);
      })
      .catch(function (error) {
        body.replaceChildren(el("p", { class: "alert" }, ["加载失败：" + error.message]));
        body.hidden = false;
      });
  }

  var chart = echarts.init(mapEl);
  chart.showLoading({ text: "地图加载中…", color: "#0b4a8b" });

  Promise.all([
    getJson("/api/geo/places.geojson?level=prefecture"),
    getJson("/api/corridors"),
    getJson("/api/parks"),
    getJson("/api/platforms"),
  ])
    .then(function (results) {
      var geo = results[0];
      echarts.registerMap(MAP_NAME, geo);
      var codes = {};
      geo.features.forEach(function (f) { codes[f.properties.name] = f.properties.adcode; });
      chart.hideLoading();
      chart.setOption(buildOption(geo, results[1].data, results[2].data, results[3].data));
      chart.on("click", function (params) {
        var d = params.data || {};
        var code = codes[params.name] || d.unit;
        if (code) {
          showPlace(code);
        }
      });
      mapEl.setAttribute("data-ready", "true");
    })
    .catch(function (error) {
      chart.hideLoading();
      mapEl.replaceChildren(el("p", { class: "alert" }, ["地图加载失败：" + error.message]));
    });

  panel.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-adcode]");
    if (target) {
      showPlace(target.getAttribute("data-adcode"));
    }
  });
})();

/* 总览: platform figures, the nine industries' completeness per province, latest deals and
 * projects, open challenge calls and alerts, from /api/overview (cached on the server). */
(function () {
  "use strict";

  var figures = document.getElementById("platform-figures");
  if (!figures) { return; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function badge(sample) { return sample ? el("span", { class: "sample-badge" }, ["示例数据"]) : null; }

  function feed(id, items, render, empty) {
    var list = document.querySelector("#" + id + " .feed");
    if (!items.length) {
      list.replaceChildren(el("li", { class: "muted" }, [empty]));
      return;
    }
    list.replaceChildren.apply(list, items.map(render));
  }

  function bar(share, present, total) {
    var pct = Math.round(share * 100);
    var fill = el("span", { style: "width:" + pct + "%" });
    return el("div", { class: "bar", title: present + "/" + total + " 个环节" }, [fill, el("em", {}, [pct + "%"])]);
  }

  function draw(data) {
    figures.replaceChildren.apply(figures, data.figures.map(function (f) {
      var value = typeof f.value === "number" ? f.value.toLocaleString("zh-CN") : String(f.value);
      return el("div", { class: "key-figure platform" }, [
        el("div", { class: "label" }, [f.label]),
        el("div", {}, [el("span", { class: "value" }, [value]), el("span", { class: "unit" }, [f.unit])]),
        el("div", { class: "source" }, ["来源：本平台", badge(f.sample)]),
      ]);
    }));
    var completenessBadge = document.getElementById("completeness-sample");
    if (completenessBadge) { completenessBadge.hidden = !data.completeness_sample; }
    var body = document.querySelector("#overview-completeness tbody");
    body.replaceChildren.apply(body, data.completeness.map(function (row) {
      return el("tr", { "data-industry": row.slug }, [el("td", {}, [el("a", { href: "/chains/" + row.slug }, [row.name])])]
        .concat(row.provinces.map(function (p) {
          return el("td", { class: "pct" }, [el("a", { href: "/chains/" + row.slug + "?place=" + p.adcode, "aria-label": row.name + p.name }, [bar(p.completeness, p.present, row.segments)])]);
        })));
    }));
    feed("overview-deals", data.deals, function (d) {
      return el("li", {}, [
        el("span", { class: "stage-chip" }, [d.stage]),
        el("a", { href: "/market/listings/" + d.achievement_id }, [d.achievement]), " → ",
        el("a", { href: "/market/listings/" + d.demand_id }, [d.demand]), badge(d.sample),
        el("span", { class: "meta" }, [(d.origin || "—") + " → " + (d.destination || "—") + " · " + d.date]),
      ]);
    }, "暂无签约成交。");
    feed("overview-projects", data.projects, function (p) {
      return el("li", {}, [
        el("span", { class: "stage-chip" }, [p.stage]), el("a", { href: "/projects" }, [p.name]), badge(p.sample),
        el("span", { class: "meta" }, [p.origin + " → " + p.destination + " · " + p.investment + " 亿元" +
          (p.signed_on ? " · 签约 " + p.signed_on : "") + (p.from_match ? " · 来自供需对接" : "")]),
      ]);
    }, "暂无项目。");
    feed("overview-challenges", data.challenges, function (c) {
      return el("li", {}, [
        el("a", { href: "/market/listings/" + c.id }, [c.title]), badge(c.sample),
        el("span", { class: "meta" }, [(c.place || "") + (c.reward ? " · 榜额 " + c.reward + " 万元" : "") +
          (c.deadline ? " · 截止 " + c.deadline : "")]),
      ]);
    }, "暂无正在征集的榜单。");
    var alerts = document.querySelector("#overview-alerts .alert-list");
    if (!data.alerts.length) {
      alerts.replaceChildren(el("li", { class: "ok" }, ["暂无预警。"]));
    } else {
      alerts.replaceChildren.apply(alerts, data.alerts.map(function (a) {
        return el("li", { class: a.level, "data-kind": a.kind }, [
          el("a", { href: a.link }, [el("strong", {}, [a.title])]), " ", a.text,
          el("span", { class: "meta" }, ["来源：" + a.source]),
        ]);
      }));
    }
    document.getElementById("overview-loop").setAttribute("data-ready", "true");
  }

  fetch("/api/overview", { headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(draw)
    .catch(function (error) {
      figures.replaceChildren(el("p", { class: "alert" }, ["加载失败：" + error.message]));
    });
})();
