// Native histograms in query results, byte for byte as Prometheus's JSON codec writes them
// (`web/api/v1/json_codec_test.go`, the histogram case).

@testable import HTTPAPI
import MetricModel
import PromQL
import Testing

@Suite struct HistogramJSONTests {
    /// Prometheus's test histogram: schema 2, zero bucket, positive and negative buckets.
    static let histogram = FloatHistogram(
        schema: 2, zeroThreshold: 0.001, zeroCount: 12, count: 10, sum: 20,
        positiveSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 1, length: 3)],
        positiveBuckets: [1, 2, 2, 1, 1],
        negativeSpans: [BucketSpan(offset: 2, length: 2)], negativeBuckets: [2, 1])

    static let histogramJSON =
        #"{"count":"10","sum":"20","buckets":[[1,"-1.6817928305074288","-1.414213562373095","1"],[1,"-1.414213562373095","-1.189207115002721","2"],[3,"-0.001","0.001","12"],[0,"1.414213562373095","1.6817928305074288","1"],[0,"1.6817928305074288","2","2"],[0,"2.378414230005442","2.82842712474619","2"],[0,"2.82842712474619","3.3635856610148576","1"],[0,"3.3635856610148576","4","1"]]}"#

    static func encoded(_ value: PromQLValue) -> String {
        String(decoding: PrometheusAPI.encode(QueryResult(value: value), limit: 0).data, as: UTF8.self)
    }

    @Test func matrixWithHistogramsOnly() {
        let series = MatrixSeries(
            labels: Labels(["__name__": "foo"]), samples: [], histograms: [HistogramSample(1000, Self.histogram)])
        #expect(Self.encoded(.matrix([series]))
            == #"{"resultType":"matrix","result":[{"metric":{"__name__":"foo"},"histograms":[[1,"# + Self.histogramJSON + "]]}]}")
    }

    @Test func matrixWithBothKinds() {
        let series = MatrixSeries(
            labels: Labels(["__name__": "foo"]), samples: [Sample(1000, 1)], histograms: [HistogramSample(2000, Self.histogram)])
        #expect(Self.encoded(.matrix([series]))
            == #"{"resultType":"matrix","result":[{"metric":{"__name__":"foo"},"values":[[1,"1"]],"histograms":[[2,"#
            + Self.histogramJSON + "]]}]}")
    }

    @Test func vectorSample() {
        let sample = VectorSample(labels: Labels(["__name__": "foo"]), timestamp: 1500, histogram: Self.histogram)
        #expect(Self.encoded(.vector([sample]))
            == #"{"resultType":"vector","result":[{"metric":{"__name__":"foo"},"histogram":[1.500,"# + Self.histogramJSON + "]}]}")
    }

    @Test func emptyHistogramHasNoBuckets() {
        let sample = VectorSample(labels: .empty, timestamp: 0, histogram: FloatHistogram(count: 0, sum: 0))
        #expect(Self.encoded(.vector([sample]))
            == #"{"resultType":"vector","result":[{"metric":{},"histogram":[0,{"count":"0","sum":"0"}]}]}"#)
    }
}
