import XCTest
@testable import HMRCore

/// Streams are numbered by when they joined; a model hub keeps their slots as the real
/// one does (swap-remove) and records what each was sent, so the tests can check that
/// every stream got every frame once, in order, however the slices interleave.
final class DeliveryProgressTests: XCTestCase {
    private struct Hub {
        var progress = DeliveryProgress(latest: 100)
        var slots: [Int] = []           // slot -> stream
        var received: [Int: [UInt64]] = [:]
        var joinedAt: [Int: UInt64] = [:]
        var nextStream = 0

        mutating func join() {
            slots.append(nextStream)
            joinedAt[nextStream] = progress.latest
            received[nextStream] = []
            nextStream += 1
            progress.joined()
        }

        mutating func leave(slot: Int) {
            let last = slots.removeLast()
            if slot < slots.count { slots[slot] = last }
            progress.removed(slot: slot)
        }

        mutating func record() { progress.recorded(progress.latest + 1) }

        /// One turn: up to `budget` streams are sent what they lack; `drop` says which sends close the stream.
        mutating func turn(budget: Int, drop: (Int) -> Bool = { _ in false }) {
            var left = budget
            while left > 0, let (slot, after) = progress.next() {
                left -= 1
                let stream = slots[slot]
                received[stream]! += Array(after + 1...progress.latest)
                if drop(stream) { leave(slot: slot) }
            }
        }

        mutating func finish() { while !progress.isComplete { turn(budget: 3) } }

        /// Each open stream has exactly the frames after the one it joined at, in order.
        func checkEveryStreamIsComplete(file: StaticString = #filePath, line: UInt = #line) {
            for stream in slots {
                let from = joinedAt[stream]!
                let expected = from < progress.latest ? Array(from + 1...progress.latest) : []
                XCTAssertEqual(received[stream], expected, "stream \(stream)", file: file, line: line)
            }
        }
    }

    func testAFrameGoesToEveryStreamOverSeveralTurns() {
        var hub = Hub()
        for _ in 0..<10 { hub.join() }
        hub.record()
        hub.turn(budget: 4)
        XCTAssertFalse(hub.progress.isComplete)
        XCTAssertEqual(hub.slots.filter { hub.received[$0] == [101] }.count, 4)
        hub.finish()
        hub.checkEveryStreamIsComplete()
    }

    func testAStreamStillBehindGetsBothFramesTogether() {
        var hub = Hub()
        for _ in 0..<6 { hub.join() }
        hub.record()                      // `building`
        hub.turn(budget: 2)
        hub.record()                      // `built`, before `building` reached everyone
        var sends: [(Int, UInt64)] = []
        while let (slot, after) = hub.progress.next() { sends.append((slot, after)) }
        // Those that lack both go first, so `building` reaches its last stream no later than before;
        // then the pass wraps round to the two that lack only `built`.
        XCTAssertEqual(sends.map(\.0), [2, 3, 4, 5, 0, 1])
        XCTAssertEqual(sends.map(\.1), [100, 100, 100, 100, 101, 101])
        XCTAssertTrue(hub.progress.isComplete)
    }

    func testAFrameRecordedBetweenPassesStartsFromTheFirstStream() {
        var hub = Hub()
        for _ in 0..<3 { hub.join() }
        hub.record()
        hub.finish()
        hub.record()
        XCTAssertEqual(hub.progress.next()?.slot, 0)
    }

    func testAStreamThatJoinsDuringABroadcastIsNotSentItAgain() {
        var hub = Hub()
        for _ in 0..<5 { hub.join() }
        hub.record()
        hub.turn(budget: 2)
        hub.join()                        // its greeting already covers frame 101
        hub.finish()
        hub.checkEveryStreamIsComplete()
        XCTAssertEqual(hub.received[5], [])
    }

    func testAStreamMovedBelowTheCursorByADropIsStillSent() {
        var hub = Hub()
        for _ in 0..<8 { hub.join() }
        hub.record()
        hub.turn(budget: 5)               // slots 0...4 are done
        hub.leave(slot: 1)                // stream 7, not sent yet, moves into slot 1
        hub.finish()
        hub.checkEveryStreamIsComplete()
        XCTAssertEqual(hub.received[7], [101])
    }

    func testAStreamDroppedByItsOwnSendLetsTheOneMovedInBeSent() {
        var hub = Hub()
        for _ in 0..<6 { hub.join() }
        hub.record()
        hub.turn(budget: 10, drop: { $0 == 2 })
        hub.finish()
        XCTAssertEqual(hub.slots.count, 5)
        hub.checkEveryStreamIsComplete()
    }

    func testNothingIsLeftOnceEveryStreamHasTheLatestFrame() {
        var hub = Hub()
        XCTAssertTrue(hub.progress.isComplete)
        hub.join()
        XCTAssertNil(hub.progress.next())
        hub.record()
        XCTAssertEqual(hub.progress.next()?.after, 100)
        XCTAssertNil(hub.progress.next())
        XCTAssertTrue(hub.progress.isComplete)
    }

    func testRandomInterleavingsNeverLoseDuplicateOrReorderAFrame() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<200 {
            var hub = Hub()
            for _ in 0..<Int(rng.next() % 20) { hub.join() }
            for _ in 0..<60 {
                switch rng.next() % 6 {
                case 0: hub.join()
                case 1: if !hub.slots.isEmpty { hub.leave(slot: Int(rng.next() % UInt64(hub.slots.count))) }
                case 2: hub.record()
                default:
                    let dropped = rng.next() % 7 == 0 ? Int(rng.next() % UInt64(max(hub.nextStream, 1))) : -1
                    hub.turn(budget: Int(rng.next() % 5) + 1, drop: { $0 == dropped })
                }
            }
            hub.finish()
            hub.checkEveryStreamIsComplete()
        }
    }
}

/// A small seeded generator, so a failing interleaving can be replayed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
