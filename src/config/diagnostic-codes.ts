/**
 * The catalogue of configuration diagnostics raised by the config layer. Codes are stable and never
 * reused; `E_` codes are errors, `W_` codes warnings. docs/configuration.md documents every one (a test
 * checks it), and test/fixtures/config/invalid/<CODE>.yaml triggers every one.
 */
export const CONFIG_DIAGNOSTIC_CODES = {
  E_FILE_UNREADABLE: 'The file cannot be read (missing, a directory, no permission).',
  E_FILE_TOO_LARGE: 'The file is over 10 MB; no openum configuration is that large.',
  E_YAML_SYNTAX: 'The file is not well-formed YAML or JSON.',
  E_NOT_CONFIG: 'The document is not an openum configuration (not a mapping, or none of the top-level keys).',
  E_UNKNOWN_KEY: 'A property openum does not know (with a "did you mean" suggestion).',
  E_REQUIRED: 'A required property is missing.',
  E_TYPE: 'A property has the wrong type (e.g. a list where a number belongs).',
  E_RANGE: 'A number or length is outside the range Exchange allows.',
  E_ENUM: 'A value is not one of the allowed words.',
  E_FORMAT: 'A string does not have the required form (digits, listen address, time range, SIP URI, …).',
  E_DUPLICATE_NAME: 'Two objects of the same kind share a Name (or Alias).',
  E_UNKNOWN_DIAL_PLAN: 'A reference to a UM dial plan that is not defined.',
  E_UNKNOWN_POLICY: 'A reference to a UM mailbox policy that is not defined.',
  E_UNKNOWN_AUTO_ATTENDANT: 'A reference to a UM auto attendant that is not defined.',
  E_UNKNOWN_GROUP: 'An allowed dialing rule group that no entry of the governing dial plan defines.',
  E_ALLOWED_GROUPS_LENGTH: 'An allowed-groups list is longer than 128 characters when joined with commas.',
  E_DUPLICATE_EXTENSION: 'Two UM mailboxes of one dial plan share an extension.',
  E_DUPLICATE_SIP_URI: 'Two UM mailboxes share a SIPResourceIdentifier.',
  E_EXTENSION_LENGTH: "An extension's length differs from the dial plan's NumberOfDigitsInExtension.",
  E_MISSING_SIP_RESOURCE_IDENTIFIER: 'A mailbox in a SipName or E164 dial plan has no SIPResourceIdentifier.',
  E_DUPLICATE_CALLING_LINE_ID: 'Two UM mailboxes share a UMCallingLineIds entry.',
  E_DUPLICATE_PILOT: 'A pilot number is used twice (AccessTelephoneNumbers, PilotIdentifierList).',
  E_RECORDING_EXCEEDS_CALL: 'MaxRecordingDuration is not less than MaxCallDuration.',
  E_PIN_RESET_EXCEEDS_LOGON_ATTEMPTS: 'LogonFailuresBeforePINReset is not less than MaxLogonAttempts.',
  E_CLEAR_PIN: 'A clear-text PIN outside a file marked TestFixture: true.',
  W_TEST_FIXTURE: 'The file is marked TestFixture: true (clear-text PINs accepted): never use it in production.',
  W_MULTIPLE_OUTCALL_GATEWAYS: 'More than one gateway of a SipName dial plan allows outcalls (Lync wants one).',
  W_AA_GROUP_NOT_IN_DIAL_PLAN: "An auto attendant allows a group its dial plan's own allowed lists do not.",
  E_KEY_MAPPING_NOT_DIALABLE: 'An auto attendant key mapping (or operator) targets a number the auto attendant may not dial.',
  E_LYNC_UNSUPPORTED: 'The signalling server and Exchange version combination is not supported (spec §10 matrix).',
  E_LYNC_LOCATION_PROFILE_NAME: "A Lync location profile is not named exactly the UM dial plan's phone context, where the matrix requires it.",
  E_LYNC_URI_TYPE: 'A dial plan used with Lync or OCS does not have URIType SipName.',
  E_LYNC_VOIP_SECURITY: "A dial plan's VoIPSecurity does not match Lync's media encryption setting.",
  W_LYNC_NO_OUTDIAL_GROUP: 'A Lync dial plan has no dialing rule group authorised for Play on Phone by any of its policies.',
  W_LYNC_AUTO_ATTENDANT_COUNT: 'A Lync dial plan does not have exactly one auto attendant.',
} as const;

/** A configuration diagnostic code raised by the config layer. */
export type ConfigDiagnosticCode = keyof typeof CONFIG_DIAGNOSTIC_CODES;
