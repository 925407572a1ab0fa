// The notifier as a service of the server: sends queued alerts until shutdown, then drains the
// queue (`--alertmanager.drain-notification-queue-on-shutdown`) after the rules have stopped.

internal import Rules
internal import ServiceLifecycle

/// Runs the notifier's send loop for the server's lifetime.
struct NotifierService: Service {
    let notifier: Notifier

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await notifier.run()
        } onGracefulShutdown: {
            notifier.stop()
        }
    }
}
