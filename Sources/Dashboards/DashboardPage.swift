import Foundation

/// The self-contained `index.html` of a dashboard: inline CSS, SVG charts and a little script for
/// sorting, searching, filtering and CSV export. Nothing is loaded from the network.
enum DashboardPage {
    /// `dataAsOf`: the reference time the data was built for, shown beside "generated".
    static func render(_ dashboard: Dashboard, results: [WidgetResult], others: [Dashboard], dataAsOf: String? = nil)
        -> String
    {
        let params = results.first?.params ?? []
        let range = params.first { $0.0 == "from" }.flatMap { from in
            params.first { $0.0 == "to" }.map { "\(from.1) → \($0.1) (to exclusive)" }
        }
        let failed = results.filter { $0.failure != nil }.count
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Formatting.html(dashboard.title)) · clv</title>
            <style>\(style)</style></head><body>
            <header><div><h1>\(Formatting.html(dashboard.title))</h1>
            """
        if !dashboard.description.isEmpty { html += "<p class=\"lede\">\(Formatting.html(dashboard.description))</p>" }
        html += "<p class=\"meta\">"
        if let range { html += "<b>\(Formatting.html(range))</b> · " }
        html +=
            "\(Formatting.html(dashboard.timeZone)) · generated \(Formatting.html(ISO8601DateFormatter().string(from: results.first?.generatedAt ?? Date())))"
        if let dataAsOf { html += " · data as of \(Formatting.html(dataAsOf))" }
        if failed > 0 { html += " · <span class=\"bad\">\(failed) widget\(failed == 1 ? "" : "s") failed</span>" }
        html += "</p></div><nav>"
        for other in others {
            html +=
                other.name == dashboard.name
                ? "<span class=\"here\">\(Formatting.html(other.title))</span>"
                : "<a href=\"../\(Formatting.html(other.name))/index.html\">\(Formatting.html(other.title))</a>"
        }
        html += "</nav></header><main>"
        for result in results { html += tile(result) }
        html +=
            "</main><footer>clv · widget data as JSON in <code>widgets/</code></footer><script>\(script)</script></body></html>\n"
        return html
    }

    private static func tile(_ result: WidgetResult) -> String {
        let widget = result.widget
        var html =
            "<section class=\"tile \(widget.kind.rawValue)\" id=\"w-\(Formatting.html(widget.id))\" data-widget=\"\(Formatting.html(widget.id))\"><h2>\(Formatting.html(widget.title))</h2>"
        if !widget.description.isEmpty { html += "<p class=\"note\">\(Formatting.html(widget.description))</p>" }
        if let failure = result.failure {
            return html
                + "<div class=\"error\"><b>This widget failed.</b> \(Formatting.html(failure.description))</div></section>"
        }
        switch widget.kind {
        case .kpi: html += kpi(result)
        case .line: html += SVGCharts.line(result.current, previous: result.previous)
        case .bar: html += SVGCharts.bar(result.current, previous: result.previous)
        case .heatmap: html += SVGCharts.heatmap(result.current)
        case .table: html += table(result)
        }
        html += "<p class=\"foot\">\(result.current.rows.count) row\(result.current.rows.count == 1 ? "" : "s")"
        if let previousParams = result.previousParams,
            let from = previousParams.first(where: { $0.0 == "from" }),
            let to = previousParams.first(where: { $0.0 == "to" })
        {
            html += " · compared with \(Formatting.html(from.1)) → \(Formatting.html(to.1))"
        }
        html += " · \(Formatting.grouped(result.queryMilliseconds, digits: 0)) ms</p>"
        if result.current.truncated {
            html +=
                "<p class=\"warn\">Showing the first \(widget.rowLimit) rows: the query returned more (row limit \(widget.rowLimit)).</p>"
        }
        return html + "</section>"
    }

    private static func kpi(_ result: WidgetResult) -> String {
        guard let row = result.current.rows.first else { return "<p class=\"note\">No rows for this range.</p>" }
        let changes = Dictionary(result.changes.map { ($0.column, $0) }, uniquingKeysWith: { first, _ in first })
        var html = "<div class=\"kpis\">"
        for (index, column) in result.current.columns.enumerated() where column.type.isNumeric {
            html +=
                "<div class=\"kpi\"><div class=\"label\">\(Formatting.html(column.name.replacingOccurrences(of: "_", with: " ")))</div><div class=\"big\">\(Formatting.display(row[index], column.type))</div>"
            if let change = changes[column.name] {
                let previous = change.previous.map { "\($0)" }
                if let percent = change.percentChange {
                    let up = percent >= 0
                    html +=
                        "<div class=\"delta \(up ? "up" : "down")\">\(up ? "▲" : "▼") \(up ? "+" : "")\(percent)% <span>vs \(Formatting.display(previous, column.type))</span></div>"
                } else {
                    html +=
                        "<div class=\"delta flat\">no % change <span>vs \(Formatting.display(previous, column.type))</span></div>"
                }
            }
            html += "</div>"
        }
        return html + "</div>"
    }

    private static func table(_ result: WidgetResult) -> String {
        let rows = result.current
        let widget = result.widget
        var html = "<div class=\"controls\">"
        if !widget.search.isEmpty {
            let columns = widget.search.compactMap { name in rows.columns.firstIndex { $0.name == name } }
            html +=
                "<input type=\"search\" placeholder=\"Search \(Formatting.html(widget.search.joined(separator: ", ")))\" data-columns=\"\(columns.map(String.init).joined(separator: ","))\">"
        }
        for name in widget.filters {
            guard let index = rows.columns.firstIndex(where: { $0.name == name }) else { continue }
            let values = Array(Set(rows.rows.compactMap { $0[index] })).sorted()
            html +=
                "<select data-column=\"\(index)\"><option value=\"\">all \(Formatting.html(name))</option>\(values.map { "<option>\(Formatting.html($0))</option>" }.joined())</select>"
        }
        html += "<button type=\"button\" class=\"csv\">Download CSV</button><span class=\"shown\"></span></div>"
        html += "<div class=\"scroll\"><table><thead><tr>"
        for column in rows.columns {
            html +=
                "<th class=\"\(column.type.isNumeric ? "num" : "")\" data-type=\"\(column.type.isNumeric ? "num" : "text")\">\(Formatting.html(column.name))</th>"
        }
        html += "</tr></thead><tbody>"
        for row in rows.rows {
            html += "<tr>"
            for (column, value) in zip(rows.columns, row) {
                html +=
                    "<td\(column.type.isNumeric ? " class=\"num\"" : "") data-value=\"\(Formatting.html(value ?? ""))\">\(Formatting.html(Formatting.display(value, column.type)))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    static let style = """
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f1f5f9}
        header{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;flex-wrap:wrap;padding:24px 32px 16px;background:#0f172a;color:#e2e8f0}
        h1{margin:0;font-size:24px;color:#fff}.lede{margin:4px 0 0;color:#cbd5e1}.meta{margin:6px 0 0;color:#94a3b8;font-size:13px}
        nav{display:flex;gap:6px;flex-wrap:wrap}nav a,nav .here{padding:6px 10px;border-radius:6px;color:#cbd5e1;text-decoration:none;font-size:13px}
        nav a:hover{background:#1e293b}nav .here{background:#2563eb;color:#fff}
        main{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(min(100%,520px),1fr));gap:16px;padding:20px 32px;max-width:1600px;margin:0 auto}
        .tile{background:#fff;border-radius:10px;padding:16px 18px;box-shadow:0 1px 2px rgba(15,23,42,.08);break-inside:avoid;min-width:0}
        .tile.table{grid-column:1/-1}
        h2{margin:0 0 8px;font-size:15px;font-weight:600}.note{color:#64748b;font-size:12px;margin:4px 0}
        .foot{color:#94a3b8;font-size:12px;margin:10px 0 0}.warn{background:#fef3c7;color:#92400e;padding:6px 10px;border-radius:6px;font-size:12px}
        .error{background:#fee2e2;color:#991b1b;padding:10px 12px;border-radius:6px;font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap}
        .bad{color:#fca5a5;font-weight:600}
        .kpis{display:flex;flex-wrap:wrap;gap:18px}.kpi .label{color:#64748b;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        .kpi .big{font-size:30px;font-weight:650;font-variant-numeric:tabular-nums}
        .delta{font-size:13px;font-weight:600}.delta span{color:#94a3b8;font-weight:400}.up{color:#059669}.down{color:#dc2626}.flat{color:#64748b}
        .chart{display:block;max-width:100%;height:auto}.chart .axis{font-size:11px;fill:#64748b}.chart .value{font-size:11px;fill:#334155}
        .chart .cell{font-size:12px;font-variant-numeric:tabular-nums}.chart .grid{stroke:#e2e8f0}
        .legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:#475569;margin-top:6px}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        .legend i.dashed{background:none;border-top:2px dashed #94a3b8;height:0;width:14px;border-radius:0}
        .controls{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-bottom:8px}
        input[type=search],select,button{font:inherit;padding:6px 10px;border:1px solid #cbd5e1;border-radius:6px;background:#fff}
        input[type=search]{min-width:240px}button{cursor:pointer;background:#f8fafc}button:hover{background:#e2e8f0}.shown{color:#64748b;font-size:12px}
        .scroll{overflow:auto;max-height:560px;border:1px solid #e2e8f0;border-radius:8px}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:6px 10px;border-bottom:1px solid #f1f5f9;text-align:left;white-space:nowrap}
        th{position:sticky;top:0;background:#f8fafc;cursor:pointer;user-select:none;font-weight:600;color:#334155}th:hover{background:#e2e8f0}
        th.asc::after{content:" ▲";font-size:10px}th.desc::after{content:" ▼";font-size:10px}.num{text-align:right}tbody tr:hover{background:#f8fafc}
        footer{color:#94a3b8;font-size:12px;text-align:center;padding:8px 0 24px}
        @media print{body{background:#fff}header{background:#fff;color:#0f172a}h1{color:#0f172a}nav,.controls{display:none}
        main{display:block;padding:0}.tile{box-shadow:none;border:1px solid #e2e8f0;margin-bottom:12px}.scroll{max-height:none;overflow:visible}}
        """

    static let script = """
        document.querySelectorAll('.tile.table').forEach(function(tile){
          var table=tile.querySelector('table');if(!table)return;var body=table.tBodies[0];
          var rows=Array.prototype.slice.call(body.rows);var search=tile.querySelector('input[type=search]');
          var selects=tile.querySelectorAll('select');var shown=tile.querySelector('.shown');
          function visible(){return rows.filter(function(r){return r.style.display!=='none'})}
          function apply(){var q=search?search.value.trim().toLowerCase():'';
            var cols=search?search.dataset.columns.split(',').map(Number):[];
            rows.forEach(function(r){var ok=!q||cols.some(function(c){return (r.cells[c].dataset.value||'').toLowerCase().indexOf(q)>=0});
              selects.forEach(function(s){if(s.value&&r.cells[+s.dataset.column].dataset.value!==s.value)ok=false});
              r.style.display=ok?'':'none'});
            if(shown)shown.textContent=visible().length+' of '+rows.length+' rows shown'}
          if(search)search.addEventListener('input',apply);selects.forEach(function(s){s.addEventListener('change',apply)});
          Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
            var asc=!th.classList.contains('asc');Array.prototype.forEach.call(th.parentNode.cells,function(c){c.classList.remove('asc','desc')});
            th.classList.add(asc?'asc':'desc');var num=th.dataset.type==='num';
            rows.sort(function(a,b){var x=a.cells[i].dataset.value,y=b.cells[i].dataset.value;
              if(num){x=x===''?-Infinity:+x;y=y===''?-Infinity:+y;return asc?x-y:y-x}
              return asc?x.localeCompare(y):y.localeCompare(x)});rows.forEach(function(r){body.appendChild(r)})})});
          tile.querySelector('.csv').addEventListener('click',function(){
            function cell(v){return /[",\\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v}
            var lines=[Array.prototype.map.call(table.tHead.rows[0].cells,function(c){return cell(c.textContent)}).join(',')];
            visible().forEach(function(r){lines.push(Array.prototype.map.call(r.cells,function(c){return cell(c.dataset.value)}).join(','))});
            var a=document.createElement('a');a.href=URL.createObjectURL(new Blob([lines.join('\\n')+'\\n'],{type:'text/csv'}));
            a.download=tile.dataset.widget+'.csv';document.body.appendChild(a);a.click();a.remove()});
          apply()});
        """
}
