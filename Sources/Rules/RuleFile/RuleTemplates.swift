// Alert templates as rules use them: Prometheus's four definitions before each label and
// annotation, the rule's `__alert_<name>` template name, and the error text in place of a
// template that fails (logged and counted, never fatal).

package import MetricModel
import PromQL

/// The template side of alerting rules.
package enum RuleTemplates {
    /// The rule-file check of an alert's label or annotation template (`rulefmt`'s
    /// `testTemplateParsing`): nil when it parses, else Go's parse error.
    package static let parseCheck: RuleTemplateCheck = { alertName, text in
        let expander = TemplateExpander(
            text: AlertTemplate.alertTemplateDefinitions + text, name: AlertTemplate.templateName(alertName: alertName),
            data: AlertTemplateData(labels: [:], externalLabels: [:], externalURL: "", value: 0), timestamp: 0,
            query: nil, externalURL: "")
        do throws(TemplateError) {
            try expander.parseTest()
            return nil
        } catch {
            return error.message
        }
    }

    /// The expansion alerting rules use: `.ExternalLabels` and `.ExternalURL` from the server,
    /// the `query` function over `query`. A template that fails expands to
    /// `<error expanding template: …>`, as in Prometheus, and `failures` counts it.
    package static func expansion(
        externalLabels: Labels, externalURL: String, query: RuleQueryFunction?, failures: Counter? = nil,
        onFailure: (@Sendable (String) -> Void)? = nil
    ) -> AlertTemplateExpansion {
        var external: [String: String] = [:]
        externalLabels.forEach { external[$0] = $1 }
        let templateQuery = query.map(templateQueryFunction)
        return { [external] text, alertName, labels, value, time in
            let expander = TemplateExpander(
                text: AlertTemplate.alertTemplateDefinitions + text, name: AlertTemplate.templateName(alertName: alertName),
                data: AlertTemplateData(labels: labels, externalLabels: external, externalURL: externalURL, value: value),
                timestamp: time, query: templateQuery, externalURL: externalURL)
            do throws(TemplateError) {
                return try expander.expand()
            } catch {
                failures?.add()
                onFailure?(error.message)
                return "<error expanding template: \(error.message)>"
            }
        }
    }
}

extension RuleTemplates {
    /// The template `query` function over a rule query function.
    static func templateQueryFunction(_ query: @escaping RuleQueryFunction) -> TemplateQueryFunction {
        { @Sendable (text: String, time: Int64) throws -> [TemplateQuerySample] in
            let expr: Expr
            do { expr = try parseExpr(text) } catch { throw RuleQueryError("\(error)") }
            let samples = try query(expr, time)
            return samples.map { sample in
                var labels: [String: String] = [:]
                sample.labels.forEach { labels[$0] = $1 }
                return TemplateQuerySample(labels: labels, value: sample.value)
            }
        }
    }

    /// Prometheus's `TableLinkForExpression`: `/graph?g0.expr=<escaped>&g0.tab=1`.
    package static func tableLink(_ expr: String) -> String {
        "/graph?g0.expr=\(TemplateFunctions.queryEscape(expr))&g0.tab=1"
    }
}
