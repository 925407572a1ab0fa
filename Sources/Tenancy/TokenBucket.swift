// TokenBucket: a tenant's ingestion rate limit (Mimir's ingestion_rate and ingestion_burst_size).

internal import Synchronization

/// Refills at `rate` tokens per second up to `burst`; a request takes as many tokens as it has
/// samples, or is refused whole.
/// Thread-safety: all methods may be called concurrently.
package final class TokenBucket: Sendable {
    package let rate: Double
    package let burst: Double
    private let state: Mutex<(tokens: Double, at: ContinuousClock.Instant)>

    package init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(burst)
        state = Mutex((Double(burst), ContinuousClock.now))
    }

    /// Takes `n` tokens if there are that many now (a request larger than the burst never fits).
    package func take(_ n: Int, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            let elapsed = now - state.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(burst, state.tokens + max(0, seconds) * rate)
            state.at = now
            guard Double(n) <= state.tokens else { return false }
            state.tokens -= Double(n)
            return true
        }
    }
}
