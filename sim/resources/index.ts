export type { ContainerOptions } from "./container.js";
export { Container, ContainerRequest } from "./container.js";
export type { ResourceOptions } from "./resource.js";
export { Request, Resource } from "./resource.js";
export type { StoreOptions } from "./store.js";
export { PriorityStore, Store, StoreGet, StorePut } from "./store.js";
export type { TokenBucketOptions } from "./token-bucket.js";
export { TokenBucket, TokenRequest } from "./token-bucket.js";
