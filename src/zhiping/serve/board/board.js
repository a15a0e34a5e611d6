// The public results board: a township's villages for a year (status, grades, results
// sheet and checkpoint), a chart of the grades by township and one of void sessions by
// cause, in zh or en. Everything comes from the zhiping HTTP API of the same origin
// (GET /sessions, /packs, /packs/{name}); the charts are inline SVG drawn here.

const WORDS = {
  zh: {
    title: "直评村官结果公示", prefix: "乡镇(区划代码前缀)", year: "年度", lang: "语言", show: "查看",
    villages: "各村结果", village: "村", code: "区划代码", held_on: "直评日期", status: "状态",
    grades: "等次", sheet: "结果公示", checkpoint: "存证检查点", valid: "有效", void: "无效",
    open_sheet: "公示单", organization: "村级党组织", none: "本年度没有已记录的直评。",
    loading: "正在读取……", failed: "读取失败:", by_township: "各乡镇等次分布",
    by_cause: "无效直评的原因", township: "乡镇", cause: "原因(规则)", count: "场次",
    total: "合计", no_void: "没有无效的直评。", no_grades: "没有评定的等次。",
    chart_table: "图表数据", quarter: (q) => `第${q}季度`, of_year: (y) => `${y}年`,
    sessions_of: (n) => `${n} 场直评`, area: (p) => (p ? `区划 ${p}` : "全部区划"),
    void_note: "一场直评可有多个原因,各计一次。",
  },
  en: {
    title: "Village cadres evaluated by the people: results", prefix: "Township (division-code prefix)",
    year: "Year", lang: "Language", show: "Show", villages: "Villages", village: "Village",
    code: "Division code", held_on: "Held on", status: "Status", grades: "Grades",
    sheet: "Results sheet", checkpoint: "Checkpoint", valid: "valid", void: "void",
    open_sheet: "sheet", organization: "party organization", none: "No session is recorded for this year.",
    loading: "Loading…", failed: "Could not load: ", by_township: "Grades by township",
    by_cause: "Void sessions by cause", township: "Township", cause: "Cause (rule)", count: "Sessions",
    total: "Total", no_void: "No session is void.", no_grades: "No grades were given.",
    chart_table: "Chart data", quarter: (q) => `Q${q}`, of_year: (y) => `${y}`,
    sessions_of: (n) => `${n} session${n === 1 ? "" : "s"}`, area: (p) => (p ? `division ${p}` : "all divisions"),
    void_note: "A session void for several causes counts once under each.",
  },
};
// Best grade first: green to red, spread over however many grades the packs declare.
const PALETTE = ["#1a9850", "#66bd63", "#a6d96a", "#d9c84a", "#fdae61", "#f46d43", "#d73027", "#a50026"];
const PAGE_SIZE = 100;
const MAX_PAGES = 1000; // a server whose `next` never ends must not hang the page
const SVG = "http://www.w3.org/2000/svg";
const TOWNSHIP_DIGITS = 9; // 县 6 digits, 乡镇 9, 村 12 (GB/T 10114 division codes)
const COUNTY_DIGITS = 6;

const $ = (id) => document.getElementById(id);
const el = (tag, text, className) => {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  if (className) node.className = className;
  return node;
};
const svg = (tag, attributes, text) => {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes ?? {})) node.setAttribute(key, value);
  if (text != null) node.textContent = text;
  return node;
};

let data = null; // { scope, items, vocabulary: Map grade → {zh, en}, order: [grade ids], areas }
const packCache = new Map();

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const error = new Error(`${path}: HTTP ${response.status}`);
    // An RFC 9457 problem details body says what was wrong, in zh and en.
    error.problem = await response.json().catch(() => null);
    throw error;
  }
  return response.json();
}

/** Why a request failed, in the board's language: each problem's path and message. */
function reason(error, lang) {
  const problem = error.problem;
  if (!problem || !Array.isArray(problem.problems)) return error.message;
  const title = lang === "zh" ? problem.title_zh ?? problem.title : problem.title;
  const each = problem.problems.map((p) => `${p.path ? `${p.path}: ` : ""}${p[lang] ?? p.en ?? ""}`);
  return `${title} (HTTP ${problem.status}): ${each.join("; ")}`;
}

/** Every session of a division-code prefix and year, following `next` to the end. */
async function allSessions(prefix, year) {
  const items = [];
  let after = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ prefix, year: String(year), limit: String(PAGE_SIZE) });
    if (after != null) query.set("after", after);
    const body = await getJSON(`sessions?${query}`);
    items.push(...body.items);
    if (body.next == null) return items;
    after = body.next;
  }
  throw new Error(`sessions?prefix=${prefix}: more than ${MAX_PAGES} pages`);
}

function pack(name) {
  if (!packCache.has(name)) packCache.set(name, getJSON(`packs/${encodeURIComponent(name)}`));
  return packCache.get(name);
}

/** The grades' words and their order (best first), from the last pack of each chain used. */
async function vocabularyOf(items) {
  const names = [...new Set(items.map((item) => item.packs.at(-1)).filter(Boolean))];
  // A pack that cannot be read (no longer installed) leaves its grades as their ids.
  const found = await Promise.all(names.map((name) => pack(name).catch(() => null)));
  const words = new Map(); // grade → {zh, en}, as the first pack declaring it writes it
  const byPack = new Map(); // pack → (grade → {zh, en}): a village's grades in its own words
  const order = [];
  names.forEach((name, index) => {
    const own = new Map();
    for (const grade of found[index]?.vocabulary?.grades ?? []) {
      own.set(grade.id, { zh: grade.zh, en: grade.en });
      if (!words.has(grade.id)) {
        words.set(grade.id, own.get(grade.id));
        order.push(grade.id);
      }
    }
    byPack.set(name, own);
  });
  return { words, byPack, order };
}

/** The packs' titles by prefix, to name the area the charts cover; nothing if unavailable. */
async function areaTitles() {
  try {
    const packs = await getJSON("packs");
    return (Array.isArray(packs) ? packs : packs.items ?? []).filter((p) => p.prefix);
  } catch {
    return [];
  }
}

// Reading the choice from the URL and writing it back

function choice() {
  const query = new URLSearchParams(location.search);
  const lang = query.get("lang") === "en" ? "en" : "zh";
  const year = Number.parseInt(query.get("year") ?? "", 10);
  return {
    prefix: (query.get("prefix") ?? "").replace(/\D/g, ""),
    year: Number.isInteger(year) ? year : new Date().getFullYear() - 1,
    lang,
  };
}

function remember(state) {
  const query = new URLSearchParams({ prefix: state.prefix, year: String(state.year), lang: state.lang });
  history.replaceState(null, "", `?${query}`);
}

// Drawing

function gradeWord(lang, id, packName) {
  if (id == null) return "—";
  const own = data.vocabulary.byPack.get(packName)?.get(id);
  return (own ?? data.vocabulary.words.get(id))?.[lang] ?? id.replaceAll("_", " ");
}

function gradeColour(id) {
  const order = data.vocabulary.order;
  const index = order.indexOf(id);
  if (index < 0) return "#888";
  const step = order.length > 1 ? (PALETTE.length - 1) / (order.length - 1) : 0;
  return PALETTE[Math.round(index * step)];
}

function subjectWord(lang, id) {
  return id === "organization" ? WORDS[lang].organization : id;
}

function villagesTable(lang, items) {
  const w = WORDS[lang];
  const table = el("table");
  table.id = "villages";
  const caption = [w.area(data.prefix), w.of_year(data.year), w.sessions_of(items.length)];
  table.createCaption().textContent = caption.join(" · ");
  const head = table.createTHead().insertRow();
  for (const key of ["village", "code", "held_on", "status", "grades", "sheet", "checkpoint"]) {
    const th = el("th", w[key]);
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const item of items) {
    const row = body.insertRow();
    row.dataset.session = item.session;
    const name = el("th", item.village_name);
    name.scope = "row";
    const held = item.quarter ? `${item.held_on} (${w.quarter(item.quarter)})` : item.held_on;
    const status = el("td");
    status.append(el("span", w[item.status] ?? item.status, item.status === "void" ? "void" : "valid"));
    if (item.status === "void") {
      const rules = el("ul", null, "rules");
      for (const rule of item.void_rules ?? []) rules.append(el("li", rule));
      status.append(rules);
    }
    const grades = el("td");
    const given = Object.entries(item.grades ?? {}).filter(([, grade]) => grade != null);
    if (given.length) {
      const list = el("ul", null, "grades");
      for (const [subject, grade] of given) {
        const entry = el("li", `${subjectWord(lang, subject)}: `);
        const word = el("span", gradeWord(lang, grade, item.packs.at(-1)), "grade");
        word.dataset.grade = grade;
        entry.append(word);
        list.append(entry);
      }
      grades.append(list);
    } else grades.textContent = "—";
    const sheet = el("td");
    const link = el("a", w.open_sheet);
    // Only a path of this server: a list entry cannot send a reader elsewhere.
    if (typeof item.sheet === "string" && /^\/(?!\/)/.test(item.sheet)) link.href = item.sheet;
    link.setAttribute("aria-label", `${w.sheet}: ${item.village_name} (${item.session})`);
    sheet.append(link);
    const checkpoint = el("td");
    checkpoint.append(el("code", item.checkpoint, "checkpoint"));
    row.append(name, el("td", item.village_code), el("td", held), status, grades, sheet, checkpoint);
  }
  return table;
}

/**
 * A horizontal bar chart as inline SVG: one row per label, each row's segments stacked.
 * rows: [{ label, segments: [{ key, count, colour, title }] }]. Each segment is a
 * <rect class="bar"> carrying data-row, data-<keyName> (the segment's key) and data-count,
 * with a <title>.
 */
function barChart(rows, { id, label, keyName }) {
  // Labels are division codes and rule ids (ASCII): about 7.5 px a character at 12 px.
  const left = 12 + Math.max(8, ...rows.map((row) => row.label.length)) * 7.5;
  const right = 48, width = 640, rowHeight = 28, bar = 20, top = 4;
  const totals = rows.map((row) => row.segments.reduce((sum, s) => sum + s.count, 0));
  const most = Math.max(1, ...totals);
  const scale = (width - left - right) / most;
  const chart = svg("svg", {
    id, class: "chart", role: "img", "aria-label": label,
    viewBox: `0 0 ${width} ${top * 2 + rows.length * rowHeight}`,
    width: String(width), height: String(top * 2 + rows.length * rowHeight),
  });
  chart.append(svg("title", {}, label));
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    chart.append(svg("text", { x: String(left - 6), y: String(y + bar - 5), "text-anchor": "end" }, row.label));
    let x = left;
    for (const segment of row.segments) {
      if (segment.count <= 0) continue;
      const rect = svg("rect", {
        class: "bar", x: String(x), y: String(y), width: String(segment.count * scale), height: String(bar),
        fill: segment.colour, "data-row": row.label, [`data-${keyName}`]: segment.key,
        "data-count": String(segment.count),
      });
      rect.append(svg("title", {}, segment.title));
      chart.append(rect);
      x += segment.count * scale;
    }
    chart.append(svg("text", { x: String(x + 6), y: String(y + bar - 5) }, String(totals[index])));
  });
  return chart;
}

/** The chart's numbers as a table: its text alternative, folded under the chart. */
function chartTable(lang, columns, rows) {
  const details = el("details");
  details.append(el("summary", WORDS[lang].chart_table));
  const table = el("table");
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = el("th", column);
    th.scope = "col";
    head.append(th);
  }
  const body = table.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    const first = el("th", cells[0]);
    first.scope = "row";
    row.append(first, ...cells.slice(1).map((cell) => el("td", String(cell), "number")));
  }
  details.append(table);
  return details;
}

function gradesFigure(lang) {
  const w = WORDS[lang];
  const counts = new Map(); // township → Map grade → count
  for (const item of data.scopeItems) {
    if (item.status !== "valid") continue;
    const township = item.village_code.slice(0, TOWNSHIP_DIGITS);
    if (!counts.has(township)) counts.set(township, new Map());
    for (const grade of Object.values(item.grades ?? {})) {
      if (grade == null) continue;
      const byGrade = counts.get(township);
      byGrade.set(grade, (byGrade.get(grade) ?? 0) + 1);
    }
  }
  const townships = [...counts.keys()].sort();
  const seen = new Set(townships.flatMap((t) => [...counts.get(t).keys()]));
  const order = data.vocabulary.order;
  const grades = [...order.filter((g) => seen.has(g)), ...[...seen].filter((g) => !order.includes(g)).sort()];
  const count = (t, g) => counts.get(t).get(g) ?? 0;
  const figure = el("figure");
  figure.append(el("figcaption", `${w.by_township} · ${data.areaName(lang)} · ${w.of_year(data.year)}`));
  if (!grades.length) {
    figure.append(el("p", w.no_grades, "message"));
    return figure;
  }
  const describe = (t) => `${t}: ${grades.map((g) => `${gradeWord(lang, g)} ${count(t, g)}`).join(", ")}`;
  const rows = townships.map((t) => ({
    label: t,
    segments: grades.map((g) => ({
      key: g, count: count(t, g), colour: gradeColour(g),
      title: `${t} · ${gradeWord(lang, g)}: ${count(t, g)}`,
    })),
  }));
  const label = `${w.by_township}. ${townships.map(describe).join("; ")}`;
  const legend = el("ul", null, "legend");
  for (const g of grades) {
    const entry = el("li");
    const swatch = el("span", null, "swatch");
    swatch.style.background = gradeColour(g);
    entry.append(swatch, gradeWord(lang, g));
    legend.append(entry);
  }
  figure.append(
    legend,
    barChart(rows, { id: "grades-chart", label, keyName: "grade" }),
    chartTable(lang, [w.township, ...grades.map((g) => gradeWord(lang, g)), w.total],
      townships.map((t) => [t, ...grades.map((g) => count(t, g)), grades.reduce((sum, g) => sum + count(t, g), 0)])),
  );
  return figure;
}

function voidFigure(lang) {
  const w = WORDS[lang];
  const counts = new Map(); // rule → void sessions
  for (const item of data.scopeItems) {
    if (item.status !== "void") continue;
    for (const rule of new Set(item.void_rules ?? [])) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  const rules = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || a.localeCompare(b));
  const figure = el("figure");
  figure.append(el("figcaption", `${w.by_cause} · ${data.areaName(lang)} · ${w.of_year(data.year)}`));
  if (!rules.length) {
    figure.append(el("p", w.no_void, "message"));
    return figure;
  }
  const rows = rules.map((rule) => ({
    label: rule,
    segments: [{ key: rule, count: counts.get(rule), colour: "#b00020", title: `${rule}: ${counts.get(rule)}` }],
  }));
  const label = `${w.by_cause}. ${rules.map((r) => `${r}: ${counts.get(r)}`).join("; ")}. ${w.void_note}`;
  figure.append(
    barChart(rows, { id: "void-chart", label, keyName: "rule" }),
    el("p", w.void_note),
    chartTable(lang, [w.cause, w.count], rules.map((r) => [r, counts.get(r)])),
  );
  return figure;
}

function render() {
  const lang = $("lang").value === "en" ? "en" : "zh";
  const w = WORDS[lang];
  document.documentElement.lang = lang;
  document.title = w.title;
  $("title").textContent = w.title;
  for (const node of document.querySelectorAll("[data-word]")) node.textContent = w[node.dataset.word];
  if (!data) return;
  const main = $("board");
  const items = data.items;
  main.replaceChildren(el("h2", w.villages));
  main.append(items.length ? villagesTable(lang, items) : el("p", w.none, "message"));
  main.append(gradesFigure(lang), voidFigure(lang));
}

function say(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

async function load() {
  const year = Number.parseInt($("year").value, 10);
  const state = {
    prefix: $("prefix").value.replace(/\D/g, ""),
    year: Number.isInteger(year) ? year : choice().year,
    lang: $("lang").value === "en" ? "en" : "zh",
  };
  $("year").value = String(state.year);
  remember(state);
  const main = $("board");
  document.body.dataset.state = "loading";
  main.setAttribute("aria-busy", "true");
  say(WORDS[state.lang].loading);
  try {
    // The charts compare the townships of the county (6 digits) the chosen prefix is in.
    const scope = state.prefix.slice(0, Math.min(COUNTY_DIGITS, state.prefix.length));
    const [scopeItems, areas] = await Promise.all([allSessions(scope, state.year), areaTitles()]);
    const items = scopeItems
      .filter((item) => item.village_code.startsWith(state.prefix))
      .sort((a, b) => a.village_code.localeCompare(b.village_code) || a.session.localeCompare(b.session));
    const area = areas
      .filter((p) => scope.startsWith(p.prefix))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    const townships = [...new Set(scopeItems.map((item) => item.village_code.slice(0, TOWNSHIP_DIGITS)))].sort();
    $("townships").replaceChildren(...townships.map((t) => Object.assign(el("option"), { value: t })));
    data = {
      prefix: state.prefix, year: state.year, items, scopeItems,
      vocabulary: await vocabularyOf(scopeItems),
      areaName: (lang) => (area ? `${area.title?.[lang] ?? area.name} (${scope})` : WORDS[lang].area(scope)),
    };
    render();
    say("");
    document.body.dataset.state = "ready";
  } catch (error) {
    data = null;
    main.replaceChildren();
    say(`${WORDS[state.lang].failed}${reason(error, state.lang)}`, true);
    document.body.dataset.state = "error";
  } finally {
    main.setAttribute("aria-busy", "false");
  }
}

const initial = choice();
$("prefix").value = initial.prefix;
$("year").value = String(initial.year);
$("lang").value = initial.lang;
$("choice").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
$("lang").addEventListener("change", () => {
  remember({ prefix: $("prefix").value, year: $("year").value, lang: $("lang").value });
  render();
});
load();
