/** The dashboard's HTML: one layout, escaped text, tables with CSV links. No client-side script. */

export const escape = (text: unknown) =>
  String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Text that may hold markdown code spans (`like this`), as escaped HTML with <code>. */
export const prose = (text: string) => new Html(escape(text).replace(/`([^`]+)`/g, "<code>$1</code>"));

/** Marks a string as already-safe HTML. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const raw = (value: string) => new Html(value);

/** A tagged template that escapes every value not already `Html`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const piece = Array.isArray(value) ? value.map((v) => (v instanceof Html ? v.value : escape(v))).join("") : value instanceof Html ? value.value : escape(value);
    out += piece + strings[i + 1]!;
  });
  return new Html(out);
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0550ae; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
header { border-bottom: 1px solid var(--line); background: var(--panel); }
header .bar { max-width: 1100px; margin: 0 auto; padding: .75rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header .brand { font-weight: 700; text-decoration: none; color: var(--ink); }
header nav ol { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: 0; }
header nav li + li::before { content: "›"; margin-right: .25rem; color: var(--muted); }
header .who { margin-left: auto; color: var(--muted); font-size: .9rem; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.lead { color: var(--muted); margin-top: 0; }
.note { background: #fff8c5; border: 1px solid #d4a72c; padding: .5rem .75rem; border-radius: 6px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; margin: 1rem 0; }
.figure { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
.figure b { display: block; font-size: 1.5rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.csv { font-size: .85rem; }
.chart { margin: 1rem 0; max-width: 100%; } .chart svg { max-width: 100%; height: auto; }
.windows a { margin-right: .5rem; }
form.window { display: inline; }
.suggestion { border-left: 4px solid #bf8700; padding: .25rem .75rem; margin: .75rem 0; background: var(--panel); }
footer { max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 600px) { h1 { font-size: 1.3rem; } th, td { padding: .3rem; } header .who { margin-left: 0; } }
`;

export interface Crumb {
  label: string;
  href?: string;
}

export function page(options: { title: string; crumbs: Crumb[]; login?: string; body: Html }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.title)} · Accord</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#content">Skip to the content</a>
<header><div class="bar">
<a class="brand" href="/dashboard">Accord</a>
<nav aria-label="Where you are"><ol>${options.crumbs.map((c) => `<li>${c.href ? `<a href="${escape(c.href)}">${escape(c.label)}</a>` : `<span aria-current="page">${escape(c.label)}</span>`}</li>`).join("")}</ol></nav>
${options.login ? `<span class="who">Signed in as ${escape(options.login)} · <a href="/dashboard/logout">Sign out</a></span>` : ""}
</div></header>
<main id="content">
${options.body.value}
</main>
<footer>Accord keeps the agreements between teams inside their pull requests. Figures come from its record of every evaluation, waiver and review.</footer>
</body>
</html>
`;
}

/** A table with a caption and a link to download it as CSV. */
export function table(options: { caption: string; csvHref?: string; head: { label: string; numeric?: boolean }[]; rows: unknown[][]; empty?: string }): Html {
  if (options.rows.length === 0) return html`<p>${options.empty ?? "Nothing recorded in this window."}</p>`;
  return html`<div class="scroll"><table>
<caption>${options.caption}${options.csvHref ? raw(` <a class="csv" href="${escape(options.csvHref)}" download>Download as CSV</a>`) : ""}</caption>
<thead><tr>${options.head.map((h) => html`<th scope="col"${raw(h.numeric ? ' class="n"' : "")}>${h.label}</th>`)}</tr></thead>
<tbody>${options.rows.map((row) => html`<tr>${row.map((value, i) => html`<td${raw(options.head[i]?.numeric ? ' class="n"' : "")}>${value}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

/** A table as CSV (RFC 4180: quotes doubled, fields with separators quoted). */
export function csv(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const field = (value: unknown) => {
    const text = value instanceof Html ? value.value.replace(/<[^>]+>/g, "") : String(value ?? "");
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[head, ...rows].map((row) => row.map(field).join(",")).join("\r\n")}\r\n`;
}
