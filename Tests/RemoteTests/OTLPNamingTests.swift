// OTLP naming rules: metric names, units and label names. The expectations are those of
// github.com/prometheus/otlptranslator v1.0.0's own tests (metric_namer_test.go,
// label_namer_test.go) for the escaping strategies, plus a few cases of ours marked as such.

import Remote
import Testing

@Suite struct OTLPMetricNamingTests {
    /// (OTLP name, unit, kind, Prometheus name, metadata unit) with suffixes
    /// (UnderscoreEscapingWithSuffixes, Prometheus 3's default).
    static let withSuffixes: [(String, String, OTLPMetricKind, String, String)] = [
        ("requests", "", .monotonicCounter, "requests_total", ""),
        ("cpu_usage", "1", .gauge, "cpu_usage_ratio", ""),
        ("items", "1", .monotonicCounter, "items_total", ""),
        ("response_time", "ms", .gauge, "response_time_milliseconds", "milliseconds"),
        ("memory_usage", "By", .gauge, "memory_usage_bytes", "bytes"),
        ("requests", "1/s", .gauge, "requests_per_second", "per_second"),
        ("throughput", "By/s", .gauge, "throughput_bytes_per_second", "bytes_per_second"),
        ("custom_metric", "custom_unit", .gauge, "custom_metric_custom_unit", "custom_unit"),
        ("custom_metric", "{custom}", .gauge, "custom_metric", ""),
        ("custom_metric", "By/{custom}", .gauge, "custom_metric_bytes", "bytes"),
        ("requests_total", "", .monotonicCounter, "requests_total", ""),
        ("cpu_usage_ratio", "1", .gauge, "cpu_usage_ratio", ""),
        ("response_time_seconds", "s", .gauge, "response_time_seconds", "seconds"),
        ("metric__with__multiple__underscores", "unit__multiple__underscores", .gauge,
         "metric_with_multiple_underscores_unit_multiple_underscores", "unit_multiple_underscores"),
        ("custom_metric", "unit@with#special/chars", .gauge, "custom_metric_unit_with_special_per_chars",
         "unit_with_special_per_chars"),
        ("request_duration", "s", .histogram, "request_duration_seconds", "seconds"),
        ("request_size", "By", .exponentialHistogram, "request_size_bytes", "bytes"),
        ("response_time", "ms", .summary, "response_time_milliseconds", "milliseconds"),
        ("active_connections", "", .nonMonotonicCounter, "active_connections", ""),
        ("unknown_metric", "", .unknown, "unknown_metric", ""),
        ("uptime", "d", .gauge, "uptime_days", "days"),
        ("duration", "h", .gauge, "duration_hours", "hours"),
        ("timeout", "min", .gauge, "timeout_minutes", "minutes"),
        ("latency", "us", .gauge, "latency_microseconds", "microseconds"),
        ("precision_time", "ns", .gauge, "precision_time_nanoseconds", "nanoseconds"),
        ("cache_size", "KiBy", .gauge, "cache_size_kibibytes", "kibibytes"),
        ("memory", "MiBy", .gauge, "memory_mebibytes", "mebibytes"),
        ("storage", "GiBy", .gauge, "storage_gibibytes", "gibibytes"),
        ("capacity", "TiBy", .gauge, "capacity_tibibytes", "tibibytes"),
        ("transfer", "KBy", .gauge, "transfer_kilobytes", "kilobytes"),
        ("download", "MBy", .gauge, "download_megabytes", "megabytes"),
        ("backup", "GBy", .gauge, "backup_gigabytes", "gigabytes"),
        ("archive", "TBy", .gauge, "archive_terabytes", "terabytes"),
        ("distance", "m", .gauge, "distance_meters", "meters"),
        ("voltage", "V", .gauge, "voltage_volts", "volts"),
        ("current", "A", .gauge, "current_amperes", "amperes"),
        ("energy", "J", .gauge, "energy_joules", "joules"),
        ("power", "W", .gauge, "power_watts", "watts"),
        ("weight", "g", .gauge, "weight_grams", "grams"),
        ("temperature", "Cel", .gauge, "temperature_celsius", "celsius"),
        ("frequency", "Hz", .gauge, "frequency_hertz", "hertz"),
        ("cpu_usage", "%", .gauge, "cpu_usage_percent", "percent"),
        ("requests", "1/m", .gauge, "requests_per_minute", "per_minute"),
        ("events", "1/h", .gauge, "events_per_hour", "per_hour"),
        ("transactions", "1/d", .gauge, "transactions_per_day", "per_day"),
        ("reports", "1/w", .gauge, "reports_per_week", "per_week"),
        ("invoices", "1/mo", .gauge, "invoices_per_month", "per_month"),
        ("renewals", "1/y", .gauge, "renewals_per_year", "per_year"),
        ("custom", "1/custom_unit", .gauge, "custom_per_custom_unit", "per_custom_unit"),
        ("metric", "By/", .gauge, "metric_bytes", "bytes"),
        ("metric", " By / s ", .gauge, "metric_bytes_per_second", "bytes_per_second"),
        ("metric", "/", .gauge, "metric", ""),
        ("http.request.duration", "ms", .histogram, "http_request_duration_milliseconds", "milliseconds"),
        ("http.requests", "1", .monotonicCounter, "http_requests_total", ""),
        // Ours: the OTel semantic-convention shapes the receiver sees most.
        ("http.server.request.duration", "s", .histogram, "http_server_request_duration_seconds", "seconds"),
        ("process.runtime.memory", "By", .monotonicCounter, "process_runtime_memory_bytes_total", "bytes"),
        ("system.cpu.utilization", "1", .nonMonotonicCounter, "system_cpu_utilization", ""),
        ("__weird..name__", "", .gauge, "weird_name", ""),
        ("2xx.responses", "", .monotonicCounter, "_2xx_responses_total", ""),
        ("total.requests.total", "", .monotonicCounter, "requests_total", ""),
        ("ratio.of.things", "1", .gauge, "of_things_ratio", ""),
        ("network.io", "By", .monotonicCounter, "network_io_bytes_total", "bytes"),
        // The unit's word anywhere in the name is enough: no second "bytes".
        ("shop.bytes.sent", "By", .monotonicCounter, "shop_bytes_sent_total", "bytes"),
        ("métric_ñ", "", .gauge, "m_tric", ""),
    ]

    @Test(arguments: withSuffixes)
    func nameWithSuffixes(_ name: String, _ unit: String, _ kind: OTLPMetricKind, _ expected: String, _ expectedUnit: String)
        throws
    {
        #expect(try OTLPMetricNamer().name(name, unit: unit, kind: kind) == expected)
        #expect(OTLPUnit.promName(unit) == expectedUnit)
    }

    /// UnderscoreEscapingWithoutSuffixes.
    @Test(arguments: [
        ("simple_metric", "simple_metric"),
        ("metric@with#special$chars", "metric_with_special_chars"),
        ("123metric", "_123metric"),
        ("metric@@##$$name", "metric_name"),
        ("___", "___"),
        ("http.request.duration", "http_request_duration"),
    ])
    func nameWithoutSuffixes(_ name: String, _ expected: String) throws {
        #expect(try OTLPMetricNamer(addSuffixes: false).name(name, unit: "ms", kind: .monotonicCounter) == expected)
    }

    @Test(arguments: [
        ("", true, "normalization for metric \"\" resulted in empty name"),
        ("@#$%", true, "normalization for metric \"@#$%\" resulted in empty name"),
        ("@#$%", false, "normalization for metric \"@#$%\" resulted in empty name"),
        ("@_#_$_%", false, "normalization for metric \"@_#_$_%\" resulted in invalid name \"_____\""),
    ])
    func namesThatNormaliseToNothingAreErrors(_ name: String, _ suffixes: Bool, _ message: String) {
        #expect(throws: RemoteWriteError(message)) {
            try OTLPMetricNamer(addSuffixes: suffixes).name(name, unit: "", kind: .gauge)
        }
    }
}

@Suite struct OTLPLabelNamingTests {
    /// (attribute key, collapsing underscores, preserving them: Prometheus 3's default).
    static let cases: [(String, String, String)] = [
        ("label:with:colons", "label_with_colons", "label_with_colons"),
        ("LabelWithCapitalLetters", "LabelWithCapitalLetters", "LabelWithCapitalLetters"),
        ("label!with&special$chars)", "label_with_special_chars_", "label_with_special_chars_"),
        ("label_with_foreign_characters_字符", "label_with_foreign_characters_", "label_with_foreign_characters___"),
        ("label.with.dots", "label_with_dots", "label_with_dots"),
        ("123label", "key_123label", "key_123label"),
        ("__label_starting_with_2underscores", "_label_starting_with_2underscores", "__label_starting_with_2underscores"),
        ("label__with__double__underscores", "label_with_double_underscores", "label__with__double__underscores"),
        ("label.name__with&&special##chars", "label_name_with_special_chars", "label_name__with__special__chars"),
        ("__reserved__label__name__", "__reserved_label_name__", "__reserved__label__name__"),
        ("trailing_underscores___", "trailing_underscores_", "trailing_underscores___"),
    ]

    @Test(arguments: cases)
    func sanitizes(_ key: String, _ collapsed: String, _ preserved: String) throws {
        let collapsing = OTLPLabelNamer(underscoreSanitization: false, preserveMultipleUnderscores: false)
        #expect(try collapsing.name(key) == collapsed)
        let preserving = OTLPLabelNamer(underscoreSanitization: false, preserveMultipleUnderscores: true)
        #expect(try preserving.name(key) == preserved)
    }

    @Test(arguments: [
        ("regular label", "regular_label", "regular_label"),
        ("123label", "key_123label", "key_123label"),
        ("_label_starting_with_underscore", "_label_starting_with_underscore", "key_label_starting_with_underscore"),
        // Ours: what Prometheus 3's defaults (both options on) do to common keys.
        ("__private", "__private", "__private"),
        ("service.name", "service_name", "service_name"),
        ("k8s.pod.name", "k8s_pod_name", "k8s_pod_name"),
    ])
    func prefixesKeyToLeadingUnderscore(_ key: String, _ plain: String, _ sanitized: String) throws {
        #expect(try OTLPLabelNamer(underscoreSanitization: false).name(key) == plain)
        #expect(try OTLPLabelNamer().name(key) == sanitized)
    }

    @Test(arguments: ["", "__", "ようこそ", "..."])
    func keysThatLeaveOnlyUnderscoresAreErrors(_ key: String) {
        #expect(throws: RemoteWriteError.self) { try OTLPLabelNamer().name(key) }
        #expect(throws: RemoteWriteError.self) {
            try OTLPLabelNamer(underscoreSanitization: false, preserveMultipleUnderscores: false).name(key)
        }
    }

    @Test func errorTexts() {
        #expect(throws: RemoteWriteError("label name is empty")) { try OTLPLabelNamer().name("") }
        #expect(throws: RemoteWriteError("normalization for label name \"ようこそ\" resulted in invalid name \"____\"")) {
            try OTLPLabelNamer().name("ようこそ")
        }
    }
}
