// DecodeBufferPool: reusable remote-write decode state, so a warm server allocates nothing per request.

internal import Remote
internal import NIOConcurrencyHelpers

/// A small pool of decoded-request buffers (decompressed bytes, labels, samples) shared by
/// the remote-write handler's concurrent requests.
/// Thread-safety: all methods may be called concurrently.
final class DecodeBufferPool: Sendable {
    struct Buffers: Sendable {
        var request = WriteRequest()
        var scratch: [UInt8] = []
    }

    private let pool = NIOLockedValueBox<[Buffers]>([])
    /// Buffers larger than this are dropped instead of pooled, so one huge request does not pin memory.
    private let maxPooledBytes = 16 << 20
    private let maxPooled = 8

    /// Takes buffers from the pool or makes new ones.
    func take() -> Buffers {
        pool.withLockedValue { $0.popLast() } ?? Buffers()
    }

    /// Returns buffers for reuse.
    func give(_ buffers: Buffers) {
        guard buffers.scratch.capacity <= maxPooledBytes else { return }
        pool.withLockedValue { list in
            if list.count < maxPooled { list.append(buffers) }
        }
    }
}
