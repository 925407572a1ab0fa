// The matcher: a Pike VM (Thompson NFA simulation with capture slots) over UTF-8 bytes.
// Each input position visits each instruction at most once, so a match costs
// O(input length × program size) whatever the pattern — no backtracking, no blow-up on
// `(a*)*b` or `(x+x+)+y`. Leftmost-first priority (Perl/Go semantics) decides the captures.

/// One run of a program over an input. All scratch memory comes from one temporary
/// allocation per run (on the stack when small), so the per-character loop never allocates.
struct PikeVM {
    /// A sparse set of instruction indexes, in priority order, each with its capture slots.
    private struct ThreadQueue {
        let sparse: UnsafeMutablePointer<Int>
        let dense: UnsafeMutablePointer<Int>
        let caps: UnsafeMutablePointer<Int>
        var count = 0

        @inline(__always)
        func contains(_ pc: Int) -> Bool {
            let j = sparse[pc]
            return j < count && dense[j] == pc
        }

        @inline(__always)
        mutating func insert(_ pc: Int) -> Int {
            sparse[pc] = count
            dense[count] = pc
            count += 1
            return count - 1
        }
    }

    /// The outcome of a run.
    struct Outcome {
        var matched: Bool
        /// Instructions visited plus threads stepped: at most 2 × program size per position.
        var steps: Int
    }

    /// Runs `program` over `input`. With `slots` non-empty (2 per group, group 0 first) the
    /// positions of the leftmost-first match are written there (-1 for unset groups);
    /// with `slots` empty the run stops at the first match found.
    static func run(
        _ program: RegexProgram, _ input: UnsafeBufferPointer<UInt8>, slots: UnsafeMutableBufferPointer<Int>
    ) -> Outcome {
        let p = program.instructions.count
        let ncap = slots.count
        let total = 4 * p + 2 * p * ncap + ncap + 2 * (p + 1)
        return program.instructions.withUnsafeBufferPointer { instructions in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: total) { buffer in
            let base = buffer.baseAddress!
            base.initialize(repeating: 0, count: total)
            var vm = Machine(
                instructions: instructions, program: program, input: input, ncap: ncap,
                queues: (
                    ThreadQueue(sparse: base, dense: base + p, caps: base + 4 * p),
                    ThreadQueue(sparse: base + 2 * p, dense: base + 3 * p, caps: base + 4 * p + p * ncap)
                ),
                scratch: base + 4 * p + 2 * p * ncap,
                stack: base + 4 * p + 2 * p * ncap + ncap
            )
            let matched = vm.run(into: slots)
            return Outcome(matched: matched, steps: vm.steps)
            }
        }
    }

    private struct Machine {
        let instructions: UnsafeBufferPointer<RegexInstruction>
        let program: RegexProgram
        let input: UnsafeBufferPointer<UInt8>
        let ncap: Int
        var queues: (ThreadQueue, ThreadQueue)
        let scratch: UnsafeMutablePointer<Int>
        /// Pairs (slot or -1, value): -1 means "visit instruction value", otherwise "restore
        /// slot to value" once the alternatives explored after the `save` are done.
        let stack: UnsafeMutablePointer<Int>
        var steps = 0

        /// Go's `utf8.DecodeRune`: invalid or truncated sequences decode as U+FFFD, width 1.
        @inline(__always)
        func decode(_ i: Int) -> (scalar: Int32, width: Int) {
            let n = input.count
            if i >= n { return (-1, 0) }
            let b0 = input[i]
            if b0 < 0x80 { return (Int32(b0), 1) }
            let replacement: (Int32, Int) = (0xFFFD, 1)
            @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Int32? {
                guard j < n else { return nil }
                let b = input[j]
                return b >= lo && b <= hi ? Int32(b & 0x3F) : nil
            }
            switch b0 {
            case 0xC2...0xDF:
                guard let c1 = cont(i + 1) else { return replacement }
                return (Int32(b0 & 0x1F) << 6 | c1, 2)
            case 0xE0...0xEF:
                let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                guard let c1 = cont(i + 1, lo, hi), let c2 = cont(i + 2) else { return replacement }
                return (Int32(b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
            case 0xF0...0xF4:
                let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
                let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
                guard let c1 = cont(i + 1, lo, hi), let c2 = cont(i + 2), let c3 = cont(i + 3) else { return replacement }
                return (Int32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
            default:
                return replacement
            }
        }

        /// Adds the thread at `pc0` and everything reachable from it without consuming input.
        mutating func add(
            _ q: inout ThreadQueue, _ pc0: Int, _ pos: Int, _ caps: UnsafeMutablePointer<Int>, _ context: EmptyAssertion
        ) {
            var top = 0
            stack[0] = -1
            stack[1] = pc0
            top = 1
            while top > 0 {
                top -= 1
                let kind = stack[2 * top]
                let value = stack[2 * top + 1]
                if kind >= 0 {
                    caps[kind] = value
                    continue
                }
                var pc = value
                while !q.contains(pc) {
                    let j = q.insert(pc)
                    steps += 1
                    let inst = instructions[pc]
                    switch inst.op {
                    case .fail:
                        break
                    case .nop:
                        pc = Int(inst.out)
                        continue
                    case .split:
                        stack[2 * top] = -1
                        stack[2 * top + 1] = Int(inst.arg)
                        top += 1
                        pc = Int(inst.out)
                        continue
                    case .save:
                        let slot = Int(inst.arg)
                        if slot < ncap {
                            stack[2 * top] = slot
                            stack[2 * top + 1] = caps[slot]
                            top += 1
                            caps[slot] = pos
                        }
                        pc = Int(inst.out)
                        continue
                    case .assertion:
                        if UInt8(truncatingIfNeeded: inst.arg) & ~context.rawValue == 0 {
                            pc = Int(inst.out)
                            continue
                        }
                    case .match, .scalar, .charClass, .anyChar, .anyCharNotNewline:
                        if ncap > 0 { (q.caps + j * ncap).update(from: caps, count: ncap) }
                    }
                    break
                }
            }
        }

        mutating func run(into slots: UnsafeMutableBufferPointer<Int>) -> Bool {
            let anchored = program.anchoredAtStart
            let start = Int(program.start)
            var (runq, nextq) = queues
            var matched = false
            var pos = 0
            var previous: Int32 = -1
            var (c, width) = decode(0)
            while true {
                if runq.count == 0 && (matched || (anchored && pos > 0)) { break }
                if !matched && (pos == 0 || !anchored) {
                    for k in 0..<ncap { scratch[k] = -1 }
                    add(&runq, start, pos, scratch, .context(before: previous, after: c))
                }
                let (next, nextWidth) = c < 0 ? (-1, 0) : decode(pos + width)
                let nextContext = EmptyAssertion.context(before: c, after: next)
                nextq.count = 0
                var i = 0
                while i < runq.count {
                    let pc = runq.dense[i]
                    let caps = runq.caps + i * ncap
                    let inst = instructions[pc]
                    steps += 1
                    i += 1
                    let consumes: Bool
                    switch inst.op {
                    case .match:
                        matched = true
                        for k in 0..<ncap { slots[k] = caps[k] }
                        i = runq.count  // lower-priority threads lose to this match
                        continue
                    case .scalar: consumes = c == inst.arg
                    case .charClass: consumes = program.classes[Int(inst.arg)].contains(c)
                    case .anyChar: consumes = c >= 0
                    case .anyCharNotNewline: consumes = c >= 0 && c != 10
                    default: consumes = false
                    }
                    if consumes { add(&nextq, Int(inst.out), pos + width, caps, nextContext) }
                }
                if c < 0 || (ncap == 0 && matched) { break }
                previous = c
                pos += width
                c = next
                width = nextWidth
                swap(&runq, &nextq)
            }
            return matched
        }
    }
}
