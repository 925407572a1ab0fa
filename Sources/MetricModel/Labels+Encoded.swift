// Reading a flat label encoding in place (`Labels.bytes` layout), for checks on the ingest path
// that must not build a `Labels` for every series of a request.

extension Labels {
    /// How many labels an encoding holds and its longest name and value, in bytes.
    package struct Shape: Sendable, Equatable {
        package var count = 0
        package var longestName = 0
        package var longestValue = 0

        package init(count: Int = 0, longestName: Int = 0, longestValue: Int = 0) {
            self.count = count
            self.longestName = longestName
            self.longestValue = longestValue
        }
    }

    /// The shape of `encoded` (sorted, validated `Labels.bytes`), without allocating.
    package static func shape(encoded: UnsafeRawBufferPointer) -> Shape {
        var shape = Shape()
        var i = 0
        while i < encoded.count {
            let (nameLength, a) = readLength(encoded, i)
            let (valueLength, b) = readLength(encoded, a + nameLength)
            shape.count += 1
            shape.longestName = max(shape.longestName, nameLength)
            shape.longestValue = max(shape.longestValue, valueLength)
            i = b + valueLength
        }
        return shape
    }

    /// The `__name__` value of `encoded`, if it has one.
    package static func metricName(encoded: UnsafeRawBufferPointer) -> String? {
        let wanted = metricNameLabel.utf8
        var i = 0
        while i < encoded.count {
            let (nameLength, a) = readLength(encoded, i)
            let (valueLength, b) = readLength(encoded, a + nameLength)
            let name = UnsafeRawBufferPointer(rebasing: encoded[a..<(a + nameLength)])
            if name.elementsEqual(wanted) {
                return String(decoding: UnsafeRawBufferPointer(rebasing: encoded[b..<(b + valueLength)]), as: UTF8.self)
            }
            i = b + valueLength
        }
        return nil
    }
}
