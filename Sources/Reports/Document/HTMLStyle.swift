/// The one stylesheet of every HTML report, inlined into the page.
///
/// Light, system fonts only (nothing to download), numbers in tabular figures so columns line
/// up, and a print layout that drops the navigation and keeps figures and table rows whole.
enum HTMLStyle {
    static let css = """
        :root { color-scheme: light; --ink: #1a1a1a; --muted: #4d4d4d; --line: #d0d0d0; --soft: #f4f6f8; --accent: #0072B2; }
        * { box-sizing: border-box; }
        html { background: #ffffff; }
        body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--ink); background: #ffffff;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 1.7rem; margin: 0 0 4px; line-height: 1.25; }
        h2 { font-size: 1.3rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.08rem; margin: 24px 0 8px; }
        p, ul, dl { margin: 8px 0; }
        .subtitle { color: var(--muted); margin: 0; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em;
          background: var(--soft); padding: 0 3px; border-radius: 3px; }
        nav { margin: 16px 0 0; padding: 10px 14px; background: var(--soft); border-radius: 6px; }
        nav ol { margin: 0; padding-left: 20px; columns: 2 240px; }
        a { color: var(--accent); }
        .table-wrap { overflow-x: auto; margin: 10px 0; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.92rem; }
        caption { text-align: left; color: var(--muted); padding: 0 0 4px; caption-side: top; }
        th, td { border: 1px solid var(--line); padding: 4px 9px; vertical-align: top; text-align: left; white-space: nowrap; }
        th.text, td.text { white-space: normal; min-width: 16em; }
        thead th { background: #e9edf1; }
        tbody th { font-weight: 600; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        .num { text-align: right; white-space: nowrap; }
        th code, td code { white-space: nowrap; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        dl.facts code { white-space: nowrap; }
        .notice { border-left: 4px solid #E69F00; background: #fff8e8; padding: 8px 12px; margin: 12px 0; }
        figure.chart-figure { margin: 14px 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 6px; }
        figcaption { font-weight: 600; margin-bottom: 6px; }
        svg.chart { display: block; max-width: 100%; height: auto; }
        .chart-summary { color: var(--muted); font-size: 0.9rem; margin: 6px 0 0; padding-left: 20px; }
        .chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 0 14px; }
        details { margin: 10px 0; }
        summary { cursor: pointer; font-weight: 600; }
        pre { background: var(--soft); padding: 10px 12px; overflow-x: auto; font-size: 0.85rem; line-height: 1.4; }
        pre code { background: none; padding: 0; }
        footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 8px; }
        @media (max-width: 640px) { body { padding: 12px; } .chart-grid { grid-template-columns: 1fr; } }
        @media print {
          body { max-width: none; padding: 0; font-size: 11pt; }
          nav { display: none; }
          h2 { break-after: avoid; }
          figure.chart-figure, tr, .notice { break-inside: avoid; }
          .chart-grid { grid-template-columns: 1fr 1fr; }
          details > summary { list-style: none; }
          a { color: inherit; text-decoration: none; }
        }

        """
}
