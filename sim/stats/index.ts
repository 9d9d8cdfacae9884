export type { ProportionInterval } from "./binomial.js";
export { wilsonInterval } from "./binomial.js";
export type { BatchMeansInterval, ConfidenceInterval } from "./confidence.js";
export { batchMeans, confidenceInterval, normalQuantile, studentTQuantile } from "./confidence.js";
export type { Truncation } from "./mser.js";
export { MSER_MIN_BATCHES, mser } from "./mser.js";
export { QuantileSketch } from "./quantile-sketch.js";
export { Tally } from "./tally.js";
export { TimeWeighted } from "./time-weighted.js";
