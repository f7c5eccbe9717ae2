export const AGREEMENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
/** The agreement Accord adds to a PR that changes the agreement file itself (SPEC §1.4). */
export const IMPLICIT_AMENDMENT_ID = "amend-agreements";
export const AGREEMENT_FILE_PATHS = [".github/agreements.yml", ".github/agreements.yaml"] as const;
/** The check run name when the file does not set `settings.check_name`. */
export const DEFAULT_CHECK_NAME = "Team agreements";
