// Go 1.19's `sort.Slice` (pattern-defeating quicksort, `sort/zsortfunc.go`), ported step for step
// so that elements comparing equal end up in the same order as in promtool's output.

extension TSDBTool {
    /// Sorts `elements` in place exactly as Go 1.19's `sort.Slice(elements, less)` does, including
    /// its (unstable, but deterministic) placement of equal elements.
    ///
    /// Slices of up to 12 elements are insertion sorted, which is stable; longer ones are not.
    /// - Complexity: O(n log n) comparisons.
    package static func goSortSlice<Element>(_ elements: inout [Element], by less: (Element, Element) -> Bool) {
        withoutActuallyEscaping(less) { less in
            var sorter = GoPDQSort(elements: elements, less: less)
            elements = []
            let length = sorter.elements.count
            sorter.pdqsort(0, length, limit: Int.bitWidth - length.leadingZeroBitCount)
            elements = sorter.elements
        }
    }
}

/// The state of one Go `pdqsort_func` run; functions keep Go's names and index arithmetic.
private struct GoPDQSort<Element> {
    var elements: [Element]
    let less: (Element, Element) -> Bool

    private enum Hint { case unknown, increasing, decreasing }

    func lessAt(_ i: Int, _ j: Int) -> Bool { less(elements[i], elements[j]) }
    mutating func swap(_ i: Int, _ j: Int) { elements.swapAt(i, j) }

    mutating func insertionSort(_ a: Int, _ b: Int) {
        var i = a + 1
        while i < b {
            var j = i
            while j > a && lessAt(j, j - 1) {
                swap(j, j - 1)
                j -= 1
            }
            i += 1
        }
    }

    mutating func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
        var root = lo
        while true {
            var child = 2 * root + 1
            if child >= hi { break }
            if child + 1 < hi && lessAt(first + child, first + child + 1) { child += 1 }
            if !lessAt(first + root, first + child) { return }
            swap(first + root, first + child)
            root = child
        }
    }

    mutating func heapSort(_ a: Int, _ b: Int) {
        let first = a, hi = b - a
        var i = (hi - 1) / 2
        while i >= 0 {
            siftDown(i, hi, first)
            i -= 1
        }
        i = hi - 1
        while i >= 0 {
            swap(first, first + i)
            siftDown(0, i, first)
            i -= 1
        }
    }

    mutating func pdqsort(_ a: Int, _ b: Int, limit: Int) {
        var a = a, b = b, limit = limit
        let maxInsertion = 12
        var wasBalanced = true, wasPartitioned = true
        while true {
            let length = b - a
            if length <= maxInsertion {
                insertionSort(a, b)
                return
            }
            if limit == 0 {
                heapSort(a, b)
                return
            }
            if !wasBalanced {
                breakPatterns(a, b)
                limit -= 1
            }
            var (pivot, hint) = choosePivot(a, b)
            if hint == .decreasing {
                reverseRange(a, b)
                pivot = (b - 1) - (pivot - a)
                hint = .increasing
            }
            if wasBalanced && wasPartitioned && hint == .increasing {
                if partialInsertionSort(a, b) { return }
            }
            if a > 0 && !lessAt(a - 1, pivot) {
                a = partitionEqual(a, b, pivot)
                continue
            }
            let (mid, alreadyPartitioned) = partition(a, b, pivot)
            wasPartitioned = alreadyPartitioned
            let leftLength = mid - a, rightLength = b - mid
            let balanceThreshold = length / 8
            if leftLength < rightLength {
                wasBalanced = leftLength >= balanceThreshold
                pdqsort(a, mid, limit: limit)
                a = mid + 1
            } else {
                wasBalanced = rightLength >= balanceThreshold
                pdqsort(mid + 1, b, limit: limit)
                b = mid
            }
        }
    }

    mutating func partition(_ a: Int, _ b: Int, _ pivot: Int) -> (Int, Bool) {
        swap(a, pivot)
        var i = a + 1, j = b - 1
        while i <= j && lessAt(i, a) { i += 1 }
        while i <= j && !lessAt(j, a) { j -= 1 }
        if i > j {
            swap(j, a)
            return (j, true)
        }
        swap(i, j)
        i += 1
        j -= 1
        while true {
            while i <= j && lessAt(i, a) { i += 1 }
            while i <= j && !lessAt(j, a) { j -= 1 }
            if i > j { break }
            swap(i, j)
            i += 1
            j -= 1
        }
        swap(j, a)
        return (j, false)
    }

    mutating func partitionEqual(_ a: Int, _ b: Int, _ pivot: Int) -> Int {
        swap(a, pivot)
        var i = a + 1, j = b - 1
        while true {
            while i <= j && !lessAt(a, i) { i += 1 }
            while i <= j && lessAt(a, j) { j -= 1 }
            if i > j { break }
            swap(i, j)
            i += 1
            j -= 1
        }
        return i
    }

    mutating func partialInsertionSort(_ a: Int, _ b: Int) -> Bool {
        let maxSteps = 5, shortestShifting = 50
        var i = a + 1
        for _ in 0..<maxSteps {
            while i < b && !lessAt(i, i - 1) { i += 1 }
            if i == b { return true }
            if b - a < shortestShifting { return false }
            swap(i, i - 1)
            if i - a >= 2 {
                // Go's loop runs down to 1, not to a + 1; kept as is.
                var j = i - 1
                while j >= 1 {
                    if !lessAt(j, j - 1) { break }
                    swap(j, j - 1)
                    j -= 1
                }
            }
            if b - i >= 2 {
                var j = i + 1
                while j < b {
                    if !lessAt(j, j - 1) { break }
                    swap(j, j - 1)
                    j += 1
                }
            }
        }
        return false
    }

    mutating func breakPatterns(_ a: Int, _ b: Int) {
        let length = b - a
        guard length >= 8 else { return }
        var random = UInt64(length)
        let modulus = UInt(1) << UInt(Int.bitWidth - length.leadingZeroBitCount)
        var index = a + (length / 4) * 2 - 1
        while index <= a + (length / 4) * 2 + 1 {
            random ^= random << 13
            random ^= random >> 17
            random ^= random << 5
            var other = Int(UInt(truncatingIfNeeded: random) & (modulus - 1))
            if other >= length { other -= length }
            swap(index, a + other)
            index += 1
        }
    }

    private mutating func choosePivot(_ a: Int, _ b: Int) -> (Int, Hint) {
        let shortestNinther = 50, maxSwaps = 4 * 3
        let l = b - a
        var swaps = 0
        var i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3
        if l >= 8 {
            if l >= shortestNinther {
                i = medianAdjacent(i, &swaps)
                j = medianAdjacent(j, &swaps)
                k = medianAdjacent(k, &swaps)
            }
            j = median(i, j, k, &swaps)
        }
        switch swaps {
        case 0: return (j, .increasing)
        case maxSwaps: return (j, .decreasing)
        default: return (j, .unknown)
        }
    }

    func order2(_ a: Int, _ b: Int, _ swaps: inout Int) -> (Int, Int) {
        if lessAt(b, a) {
            swaps += 1
            return (b, a)
        }
        return (a, b)
    }

    func median(_ a: Int, _ b: Int, _ c: Int, _ swaps: inout Int) -> Int {
        var (a, b) = order2(a, b, &swaps)
        var c = c
        (b, c) = order2(b, c, &swaps)
        (a, b) = order2(a, b, &swaps)
        _ = (a, c)
        return b
    }

    func medianAdjacent(_ a: Int, _ swaps: inout Int) -> Int { median(a - 1, a, a + 1, &swaps) }

    mutating func reverseRange(_ a: Int, _ b: Int) {
        var i = a, j = b - 1
        while i < j {
            swap(i, j)
            i += 1
            j -= 1
        }
    }
}
