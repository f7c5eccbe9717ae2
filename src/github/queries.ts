/** GraphQL documents: one query gathers nearly everything an evaluation needs. */

export interface FileExpression {
  alias: string;
  expression: string;
  /** Also read the text (agreement files, notebooks); sizes alone otherwise. */
  withText?: boolean;
}

/** `object(expression:)` look-ups for blobs, aliased so one query can read many. */
export function blobFields(expressions: readonly FileExpression[]): string {
  return expressions
    .map(({ alias, expression, withText }) => `${alias}: object(expression: ${JSON.stringify(expression)}) { ... on Blob { byteSize isBinary${withText ? " text isTruncated" : ""} } }`)
    .join("\n    ");
}

export function pullRequestQuery(blobs: readonly FileExpression[]): string {
  return `query AccordPullRequest($owner: String!, $name: String!, $number: Int!, $appId: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      number title body isDraft state
      author { login }
      baseRefName baseRefOid headRefOid changedFiles
      files(first: 100) { totalCount nodes { path additions deletions changeType } }
      labels(first: 100) { nodes { name } }
      reviews(first: 100) { ${REVIEW_PAGE} }
      reviewRequests(first: 100) { nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } }
      comments(first: 100) { pageInfo { hasNextPage endCursor } nodes { databaseId body viewerDidAuthor } }
      commits(last: 1) { nodes { commit { oid checkSuites(first: 10, filterBy: { appId: $appId }) { pageInfo { hasNextPage } nodes { checkRuns(last: 20) { pageInfo { hasPreviousPage } nodes { databaseId name title summary status conclusion annotations(first: 1) { totalCount } } } } } } } }
    }
    ${blobFields(blobs)}
  }
}`;
}

/** Every review, oldest first, with the commit it was given on (for `stale_on_push`). */
const REVIEW_PAGE = "pageInfo { hasNextPage endCursor } nodes { author { login } state submittedAt commit { oid } }";

export const MORE_REVIEWS_QUERY = `query AccordReviews($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $after) { ${REVIEW_PAGE} }
    }
  }
}`;

export const MORE_COMMENTS_QUERY = `query AccordComments($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { databaseId body viewerDidAuthor } }
    }
  }
}`;

export function blobsQuery(blobs: readonly FileExpression[]): string {
  return `query AccordBlobs($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    ${blobFields(blobs)}
  }
}`;
}

export function teamMembersQuery(slugs: readonly string[]): string {
  const teams = slugs
    .map((slug, i) => `t${i}: team(slug: ${JSON.stringify(slug)}) { members(first: 100) { pageInfo { hasNextPage endCursor } nodes { login } } }`)
    .join("\n    ");
  return `query AccordTeams($org: String!) {
  organization(login: $org) {
    ${teams}
  }
}`;
}

export const MORE_TEAM_MEMBERS_QUERY = `query AccordTeamPage($org: String!, $slug: String!, $after: String) {
  organization(login: $org) {
    team(slug: $slug) { members(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { login } } }
  }
}`;
