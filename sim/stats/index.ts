export type { BatchMeansInterval, ConfidenceInterval } from "./confidence.js";
export { batchMeans, confidenceInterval, normalQuantile, studentTQuantile } from "./confidence.js";
export { QuantileSketch } from "./quantile-sketch.js";
export { Tally } from "./tally.js";
export { TimeWeighted } from "./time-weighted.js";
