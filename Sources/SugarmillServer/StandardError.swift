// StandardError: unbuffered writes to file descriptor 2, without Foundation's FileHandle.

internal import Glibc

package enum StandardError {
    /// Writes `text` to stderr in full, retrying short writes and EINTR; output is dropped if stderr is closed.
    package static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard var base = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = Glibc.write(2, base, left)
                if n > 0 {
                    base += n
                    left -= n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
