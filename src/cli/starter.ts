/** The commented starter file `accord init` writes: two teams and a few typical agreements. */
export const STARTER_AGREEMENTS = `# Team agreements, checked on every pull request by Accord.
# Each agreement is one thing your teams agreed on. Change this file by pull request:
# every team defined below approves a change before it takes effect.
# Validate locally with \`accord validate\`; see what a branch would get with \`accord check\`.
version: 1

teams:
  data-science:
    github_team: data-science      # the team's slug in your organization
    members: []                    # extra logins, e.g. [alice, bob]
    name: Data Science
  platform:
    github_team: platform
    name: Platform

settings:
  check_name: Team agreements
  comment: on_attention            # on_attention | always | never
  reviewers:
    suggest: 2                     # people suggested per team still needed; 0 turns it off

agreements:
  - id: pipelines-both-teams
    title: Pipeline changes are reviewed by both teams
    context: |
      Pipelines decide both model quality and cluster cost, so each side takes a look.
    when:
      paths: ["pipelines/**"]
      paths_ignore: ["**/*.md"]
    require:
      approvals:
        - { team: data-science }
        - { team: platform }

  - id: no-model-binaries
    title: No model binaries or raw data in git
    context: |
      Binaries bloat every clone and bypass the model registry. Push models to the
      registry and raw data to object storage, and commit a reference instead.
    waivable_by: [platform]
    require:
      forbidden: ["**/*.pkl", "**/*.pt", "**/*.h5", "data/raw/**"]
      max_file_size: 5MB

  - id: describe-the-change
    title: Every PR says what it changes and how it was tested
    severity: advisory             # shown, but does not block merging
    require:
      description: { sections: [What, How] }

  - id: notebooks-cleared
    title: Notebooks are committed without outputs
    mode: trial                    # evaluated and recorded, never blocks; enforce once it works for both teams
    require:
      notebooks: { outputs: cleared }
`;
