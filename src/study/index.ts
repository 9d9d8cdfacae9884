/** Studies: compact site descriptions for the design generators (docs/study-format.md). Browser-safe. */

export {
  checkStudy,
  DEFAULT_HOST_IO,
  type Group,
  type HostIo,
  hostIo,
  parseStudy,
  type Study,
  type StudyParameter,
  type StudyResult,
  tooManyServers,
} from "./load.js";
export {
  GROUP_CLASSES,
  type StudyDesignSpec,
  type StudyFile,
  type StudyGroup,
  type StudyWorkload,
  studySchema,
} from "./schema.js";
