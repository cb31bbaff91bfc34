// The page `--proxy` answers (with 502) while the backend is down or restarting, as
// Django's runserver does after each .py edit: it says so, and comes back by itself.
//
// An inline script asks for the same URL every half second and reloads once an answer
// is not this page (it lacks `X-Hmrd-Backend: down`); without JS a meta refresh does.
// The client in a page already open waits on the same header (client/src/refetch.js).

public enum BackendDownPage {
    /// The response header that marks this page, so the page itself and the client can
    /// tell it from a 502 of the backend's own.
    public static let headerName = "X-Hmrd-Backend"
    public static let headerValue = "down"
    /// How often the page asks whether the backend is back.
    static let pollMilliseconds = 500
    /// The same, for a browser without JS (a meta refresh).
    static let refreshSeconds = 2

    /// A complete UTF-8 page with inline CSS and no external assets. `backend` (its
    /// origin, say) and `reason` ("connection refused") are escaped.
    public static func html(backend: String, reason: String) -> [UInt8] {
        let page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Backend not answering · hmrd</title>
            <noscript><meta http-equiv="refresh" content="\(refreshSeconds)"></noscript>
            <style>
            body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #222; background: #f6f6f4; }
            main { max-width: 36rem; margin: 12vh auto; padding: 1.5rem 2rem; background: #fff;
                   border: 1px solid #ddd; border-left: 4px solid #c60; border-radius: 4px; }
            h1 { margin: 0 0 .5rem; font-size: 1.25rem; }
            code { font: .95em ui-monospace, monospace; overflow-wrap: anywhere; }
            p.small { color: #666; font-size: .875rem; }
            </style>
            </head>
            <body>
            <main>
            <h1>Waiting for the backend</h1>
            <p>The backend at <code>\(escape(backend))</code> is not answering (\(escape(reason))).</p>
            <p>This page comes back by itself when it does.</p>
            <p class="small">hmrd --proxy</p>
            </main>
            <script>
            (function () {
              function poll() {
                fetch(location.href, {cache: 'no-store'}).then(function (answer) {
                  if (answer.headers.get('\(headerName)') !== '\(headerValue)') location.reload();
                  else setTimeout(poll, \(pollMilliseconds));
                }, function () { setTimeout(poll, \(pollMilliseconds)); });
              }
              setTimeout(poll, \(pollMilliseconds));
            })();
            </script>
            </body>
            </html>

            """
        return Array(page.utf8)
    }

    /// Text as HTML shows it, in content or in a quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
