// Prometheus's `template.Expander` in text mode: parses a template with Go's text/template
// and Prometheus's functions, and executes it against an alert's data.

/// Expands one label or annotation template.
///
/// ```swift
/// let text = AlertTemplate.alertTemplateDefinitions + "{{ $labels.instance }} is down"
/// let data = AlertTemplateData(labels: ["instance": "a:9100"], externalLabels: [:], externalURL: "", value: 0)
/// let expander = TemplateExpander(text: text, name: "__alert_InstanceDown", data: data,
///                                 timestamp: 0, query: nil, externalURL: "")
/// try expander.expand()   // "a:9100 is down"
/// ```
///
/// Limits Go does not have, so that no template can exhaust a Swift stack or memory:
/// parentheses and control structures nest at most `TemplateParser.maxNesting` (50) deep, and
/// with `{{template}}` calls at most `TemplateExecutor.maxNesting` (50) while executing; one
/// expansion writes
/// at most `TemplateExecutor.maxOutputBytes` and evaluates at most `TemplateExecutor.maxSteps`.
///
/// Thread-safety: a value; each `expand()` runs on its own state.
package struct TemplateExpander: Sendable {
    package var text: String
    package var name: String
    /// Dot and `$` of the top-level template.
    package var data: TemplateValue
    /// The evaluation time, ms since the epoch.
    package var timestamp: Int64
    package var query: TemplateQueryFunction?
    /// Prometheus's external URL, for the `pathPrefix` and `externalURL` functions.
    package var externalURL: String

    /// An expander of an alert template: `data` is what `.Labels`, `.ExternalLabels`,
    /// `.ExternalURL` and `.Value` read.
    package init(
        text: String, name: String, data: AlertTemplateData, timestamp: Int64, query: TemplateQueryFunction?,
        externalURL: String
    ) {
        self.init(text: text, name: name, value: .alertData(data), timestamp: timestamp, query: query, externalURL: externalURL)
    }

    /// An expander with any data as dot (Prometheus's tests run templates over slices and numbers).
    package init(
        text: String, name: String, value: TemplateValue, timestamp: Int64, query: TemplateQueryFunction?,
        externalURL: String
    ) {
        self.text = text
        self.name = name
        data = value
        self.timestamp = timestamp
        self.query = query
        self.externalURL = externalURL
    }

    private var functions: [String: TemplateFunction] {
        let context = PrometheusFunctionContext(timestamp: timestamp, query: query, externalURL: externalURL)
        return TemplateFunctions.builtins.merging(TemplateFunctions.prometheus(context)) { _, prometheus in prometheus }
    }

    /// Prometheus's `Expand()`: the template's output. The definitions of `$labels` etc. are
    /// not added here; alerting rules put `AlertTemplate.alertTemplateDefinitions` first.
    ///
    /// - Throws: `TemplateError` worded as Prometheus's, e.g.
    ///   `error parsing template X: template: X:1: unexpected EOF` or
    ///   `error executing template X: template: X:1:3: executing "X" at <.Foo>: …`.
    package func expand() throws(TemplateError) -> String {
        let functions = self.functions
        let parsed: ParsedTemplates
        do {
            parsed = try TemplateParser.parse(text, name: name, functions: Set(functions.keys))
        } catch {
            throw TemplateError("error parsing template \(name): \(error.text)")
        }
        var executor = TemplateExecutor(templates: parsed, functions: functions)
        do {
            return try executor.execute(data)
        } catch {
            throw TemplateError("error executing template \(name): \(error.message)")
        }
    }

    /// Prometheus's `ParseTest()`: parses only, with the functions defined, so that an
    /// unknown function is an error. The error is Go's parse error itself:
    /// `template: X:1: function "foo" not defined`.
    package func parseTest() throws(TemplateError) {
        do {
            _ = try TemplateParser.parse(text, name: name, functions: Set(functions.keys))
        } catch {
            throw TemplateError(error.text)
        }
    }
}
