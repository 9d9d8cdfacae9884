/**
 * The guided learning path: six lessons, each a small topology (or study) in
 * `topologies/lessons/`, from "what is a virtual function" to "how do I read the
 * last-mile curve". The long form of each lesson is `docs/learn/<doc>.md`; a test keeps
 * the numbers there equal to these.
 */
import { BLAST_RADIUS } from "./blast-radius.js";
import { LAST_MILE } from "./last-mile.js";
import type { Lesson } from "./lesson.js";
import { LOSSLESS } from "./lossless.js";
import { MR_IOV } from "./mr-iov.js";
import { SR_IOV } from "./sr-iov.js";
import { VNIC_VHBA } from "./vnic-vhba.js";

export type { Lesson, WhatIfGolden } from "./lesson.js";

export const LESSONS: readonly Lesson[] = [SR_IOV, MR_IOV, VNIC_VHBA, LOSSLESS, BLAST_RADIUS, LAST_MILE];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

export function lessonByFile(file: string): Lesson | undefined {
  return LESSONS.find((l) => l.file === file);
}
