// Resolving a config's relative file paths against the directory of the file that names them
// (Prometheus's `SetDirectory` methods, common's `JoinDir`).

extension PrometheusConfig {
    /// Joins every relative path with `directory`: rule files, scrape config files, the global
    /// log files, each scrape config's and each Alertmanager set's files.
    mutating func setDirectory(_ directory: String) {
        global.queryLogFile = global.queryLogFile.map { ConfigPaths.join(directory, $0) }
        global.scrapeFailureLogFile = global.scrapeFailureLogFile.map { ConfigPaths.join(directory, $0) }
        ruleFiles = ruleFiles.map { ConfigPaths.join(directory, $0) }
        scrapeConfigFiles = scrapeConfigFiles.map { ConfigPaths.join(directory, $0) }
        for index in scrapeConfigs.indices { scrapeConfigs[index].setDirectory(directory) }
        for index in remoteWrite.indices { remoteWrite[index].httpClient.setDirectory(directory) }
        for index in remoteRead.indices { remoteRead[index].httpClient.setDirectory(directory) }
        for index in alerting.alertmanagers.indices { alerting.alertmanagers[index].setDirectory(directory) }
        tracing.tls.setDirectory(directory)
    }
}

extension AlertmanagerConfig {
    mutating func setDirectory(_ directory: String) {
        for index in fileSDConfigs.indices { fileSDConfigs[index].setDirectory(directory) }
        for index in httpSDConfigs.indices { httpSDConfigs[index].httpClient.setDirectory(directory) }
        httpClient.setDirectory(directory)
    }
}

extension ScrapeConfig {
    mutating func setDirectory(_ directory: String) {
        for index in fileSDConfigs.indices { fileSDConfigs[index].setDirectory(directory) }
        for index in httpSDConfigs.indices { httpSDConfigs[index].httpClient.setDirectory(directory) }
        httpClient.setDirectory(directory)
        scrapeFailureLogFile = scrapeFailureLogFile.map { ConfigPaths.join(directory, $0) }
    }
}

extension FileSDConfig {
    mutating func setDirectory(_ directory: String) {
        files = files.map { ConfigPaths.join(directory, $0) }
    }
}

extension HTTPClientConfig {
    mutating func setDirectory(_ directory: String) {
        tls.setDirectory(directory)
        if var auth = basicAuth {
            auth.usernameFile = auth.usernameFile.map { ConfigPaths.join(directory, $0) }
            auth.password = auth.password?.joined(with: directory)
            basicAuth = auth
        }
        if var auth = authorization {
            auth.credentials = auth.credentials?.joined(with: directory)
            authorization = auth
        }
    }
}

extension TLSConfig {
    mutating func setDirectory(_ directory: String) {
        caFile = caFile.map { ConfigPaths.join(directory, $0) }
        certFile = certFile.map { ConfigPaths.join(directory, $0) }
        keyFile = keyFile.map { ConfigPaths.join(directory, $0) }
    }
}

extension Secret {
    fileprivate func joined(with directory: String) -> Secret {
        if case .file(let path) = self { return .file(ConfigPaths.join(directory, path)) }
        return self
    }
}
