// Hand-written cdktf bindings for the vmware/nsxt Terraform provider (no prebuilt @cdktf package exists).
// Shaped like the output of `cdktf get`; schema checked against the provider's nsxt/provider.go
// and https://registry.terraform.io/providers/vmware/nsxt/latest/docs

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NSXT_GENERATOR_METADATA, nsxtToHclAttributes } from './terraform-mapping';

/**
 * Configuration of the `nsxt` provider block.
 *
 * Every argument is optional because the provider also reads `NSXT_*` environment variables.
 */
export interface NsxtProviderConfig {
  /**
   * Hostname or IP address of the NSX manager (env `NSXT_MANAGER_HOST`).
   *
   * @default - taken from `NSXT_MANAGER_HOST`
   */
  readonly host?: string;
  /**
   * User name for the NSX manager (env `NSXT_USERNAME`).
   *
   * @default - taken from `NSXT_USERNAME`
   */
  readonly username?: string;
  /**
   * Password for the NSX manager (env `NSXT_PASSWORD`); pass a Terraform variable token rather than a literal.
   *
   * @default - taken from `NSXT_PASSWORD`
   */
  readonly password?: string;
  /**
   * Skip verification of the NSX manager's TLS certificate (env `NSXT_ALLOW_UNVERIFIED_SSL`).
   *
   * @default false
   */
  readonly allowUnverifiedSsl?: boolean;
  /**
   * PEM file of the certificate authority that signed the NSX manager certificate (env `NSXT_CA_FILE`).
   *
   * @default - system trust store
   */
  readonly caFile?: string;
  /**
   * PEM client certificate file for certificate authentication (env `NSXT_CLIENT_AUTH_CERT_FILE`).
   *
   * @default - basic or session authentication
   */
  readonly clientAuthCertFile?: string;
  /**
   * PEM private key file of the client certificate (env `NSXT_CLIENT_AUTH_KEY_FILE`).
   *
   * @default - basic or session authentication
   */
  readonly clientAuthKeyFile?: string;
  /**
   * Authenticate through vIDM / remote authentication (env `NSXT_REMOTE_AUTH`).
   *
   * @default false
   */
  readonly remoteAuth?: boolean;
  /**
   * Maximum number of HTTP client retries (env `NSXT_MAX_RETRIES`).
   *
   * @default 4
   */
  readonly maxRetries?: number;
  /**
   * Minimum delay in milliseconds between retries of a request (env `NSXT_RETRY_MIN_DELAY`).
   *
   * @default 0
   */
  readonly retryMinDelay?: number;
  /**
   * Maximum delay in milliseconds between retries of a request (env `NSXT_RETRY_MAX_DELAY`).
   *
   * @default 500
   */
  readonly retryMaxDelay?: number;
  /**
   * HTTP status codes of replies to retry on.
   *
   * @default [400, 409, 429, 500, 503, 504]
   */
  readonly retryOnStatusCodes?: number[];
  /**
   * Policy enforcement point (env `NSXT_POLICY_ENFORCEMENT_POINT`).
   *
   * @default 'default'
   */
  readonly enforcementPoint?: string;
  /**
   * Whether `host` is an NSX Global Manager (env `NSXT_GLOBAL_MANAGER`).
   *
   * @default false
   */
  readonly globalManager?: boolean;
  /**
   * Alias of this provider configuration, for more than one NSX manager in a stack.
   *
   * @default - the default `nsxt` provider configuration
   */
  readonly alias?: string;
}

/**
 * Represents the `nsxt` provider (registry source `vmware/nsxt`, {@link https://registry.terraform.io/providers/vmware/nsxt/latest/docs docs}).
 */
export class NsxtProvider extends cdktf.TerraformProvider {
  /** Terraform provider type name. */
  public static readonly tfResourceType = 'nsxt';

  private _host?: string;
  private _username?: string;
  private _password?: string;
  private _allowUnverifiedSsl?: boolean;
  private _caFile?: string;
  private _clientAuthCertFile?: string;
  private _clientAuthKeyFile?: string;
  private _remoteAuth?: boolean;
  private _maxRetries?: number;
  private _retryMinDelay?: number;
  private _retryMaxDelay?: number;
  private _retryOnStatusCodes?: number[];
  private _enforcementPoint?: string;
  private _globalManager?: boolean;
  private _alias?: string;

  /**
   * Create a new `nsxt` provider configuration.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtProviderConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'nsxt',
      terraformGeneratorMetadata: NSXT_GENERATOR_METADATA,
      terraformProviderSource: 'vmware/nsxt',
    });
    this._host = config.host;
    this._username = config.username;
    this._password = config.password;
    this._allowUnverifiedSsl = config.allowUnverifiedSsl;
    this._caFile = config.caFile;
    this._clientAuthCertFile = config.clientAuthCertFile;
    this._clientAuthKeyFile = config.clientAuthKeyFile;
    this._remoteAuth = config.remoteAuth;
    this._maxRetries = config.maxRetries;
    this._retryMinDelay = config.retryMinDelay;
    this._retryMaxDelay = config.retryMaxDelay;
    this._retryOnStatusCodes = config.retryOnStatusCodes;
    this._enforcementPoint = config.enforcementPoint;
    this._globalManager = config.globalManager;
    this._alias = config.alias;
  }

  /** Hostname or IP address of the NSX manager. */
  public get host(): string | undefined {
    return this._host;
  }
  public set host(value: string | undefined) {
    this._host = value;
  }
  /** Unset `host`. */
  public resetHost(): void {
    this._host = undefined;
  }
  /** Configured `host` value. */
  public get hostInput(): string | undefined {
    return this._host;
  }

  /** User name for the NSX manager. */
  public get username(): string | undefined {
    return this._username;
  }
  public set username(value: string | undefined) {
    this._username = value;
  }
  /** Unset `username`. */
  public resetUsername(): void {
    this._username = undefined;
  }
  /** Configured `username` value. */
  public get usernameInput(): string | undefined {
    return this._username;
  }

  /** Password for the NSX manager. */
  public get password(): string | undefined {
    return this._password;
  }
  public set password(value: string | undefined) {
    this._password = value;
  }
  /** Unset `password`. */
  public resetPassword(): void {
    this._password = undefined;
  }
  /** Configured `password` value. */
  public get passwordInput(): string | undefined {
    return this._password;
  }

  /** Skip TLS verification of the NSX manager certificate. */
  public get allowUnverifiedSsl(): boolean | undefined {
    return this._allowUnverifiedSsl;
  }
  public set allowUnverifiedSsl(value: boolean | undefined) {
    this._allowUnverifiedSsl = value;
  }
  /** Unset `allow_unverified_ssl`. */
  public resetAllowUnverifiedSsl(): void {
    this._allowUnverifiedSsl = undefined;
  }
  /** Configured `allow_unverified_ssl` value. */
  public get allowUnverifiedSslInput(): boolean | undefined {
    return this._allowUnverifiedSsl;
  }

  /** CA certificate file. */
  public get caFile(): string | undefined {
    return this._caFile;
  }
  public set caFile(value: string | undefined) {
    this._caFile = value;
  }
  /** Unset `ca_file`. */
  public resetCaFile(): void {
    this._caFile = undefined;
  }
  /** Configured `ca_file` value. */
  public get caFileInput(): string | undefined {
    return this._caFile;
  }

  /** Client certificate file. */
  public get clientAuthCertFile(): string | undefined {
    return this._clientAuthCertFile;
  }
  public set clientAuthCertFile(value: string | undefined) {
    this._clientAuthCertFile = value;
  }
  /** Unset `client_auth_cert_file`. */
  public resetClientAuthCertFile(): void {
    this._clientAuthCertFile = undefined;
  }
  /** Configured `client_auth_cert_file` value. */
  public get clientAuthCertFileInput(): string | undefined {
    return this._clientAuthCertFile;
  }

  /** Client certificate key file. */
  public get clientAuthKeyFile(): string | undefined {
    return this._clientAuthKeyFile;
  }
  public set clientAuthKeyFile(value: string | undefined) {
    this._clientAuthKeyFile = value;
  }
  /** Unset `client_auth_key_file`. */
  public resetClientAuthKeyFile(): void {
    this._clientAuthKeyFile = undefined;
  }
  /** Configured `client_auth_key_file` value. */
  public get clientAuthKeyFileInput(): string | undefined {
    return this._clientAuthKeyFile;
  }

  /** Use remote (vIDM) authentication. */
  public get remoteAuth(): boolean | undefined {
    return this._remoteAuth;
  }
  public set remoteAuth(value: boolean | undefined) {
    this._remoteAuth = value;
  }
  /** Unset `remote_auth`. */
  public resetRemoteAuth(): void {
    this._remoteAuth = undefined;
  }
  /** Configured `remote_auth` value. */
  public get remoteAuthInput(): boolean | undefined {
    return this._remoteAuth;
  }

  /** Maximum number of HTTP client retries. */
  public get maxRetries(): number | undefined {
    return this._maxRetries;
  }
  public set maxRetries(value: number | undefined) {
    this._maxRetries = value;
  }
  /** Unset `max_retries`. */
  public resetMaxRetries(): void {
    this._maxRetries = undefined;
  }
  /** Configured `max_retries` value. */
  public get maxRetriesInput(): number | undefined {
    return this._maxRetries;
  }

  /** Minimum delay in milliseconds between retries. */
  public get retryMinDelay(): number | undefined {
    return this._retryMinDelay;
  }
  public set retryMinDelay(value: number | undefined) {
    this._retryMinDelay = value;
  }
  /** Unset `retry_min_delay`. */
  public resetRetryMinDelay(): void {
    this._retryMinDelay = undefined;
  }
  /** Configured `retry_min_delay` value. */
  public get retryMinDelayInput(): number | undefined {
    return this._retryMinDelay;
  }

  /** Maximum delay in milliseconds between retries. */
  public get retryMaxDelay(): number | undefined {
    return this._retryMaxDelay;
  }
  public set retryMaxDelay(value: number | undefined) {
    this._retryMaxDelay = value;
  }
  /** Unset `retry_max_delay`. */
  public resetRetryMaxDelay(): void {
    this._retryMaxDelay = undefined;
  }
  /** Configured `retry_max_delay` value. */
  public get retryMaxDelayInput(): number | undefined {
    return this._retryMaxDelay;
  }

  /** HTTP status codes to retry on. */
  public get retryOnStatusCodes(): number[] | undefined {
    return this._retryOnStatusCodes;
  }
  public set retryOnStatusCodes(value: number[] | undefined) {
    this._retryOnStatusCodes = value;
  }
  /** Unset `retry_on_status_codes`. */
  public resetRetryOnStatusCodes(): void {
    this._retryOnStatusCodes = undefined;
  }
  /** Configured `retry_on_status_codes` value. */
  public get retryOnStatusCodesInput(): number[] | undefined {
    return this._retryOnStatusCodes;
  }

  /** Policy enforcement point. */
  public get enforcementPoint(): string | undefined {
    return this._enforcementPoint;
  }
  public set enforcementPoint(value: string | undefined) {
    this._enforcementPoint = value;
  }
  /** Unset `enforcement_point`. */
  public resetEnforcementPoint(): void {
    this._enforcementPoint = undefined;
  }
  /** Configured `enforcement_point` value. */
  public get enforcementPointInput(): string | undefined {
    return this._enforcementPoint;
  }

  /** Whether the host is an NSX Global Manager. */
  public get globalManager(): boolean | undefined {
    return this._globalManager;
  }
  public set globalManager(value: boolean | undefined) {
    this._globalManager = value;
  }
  /** Unset `global_manager`. */
  public resetGlobalManager(): void {
    this._globalManager = undefined;
  }
  /** Configured `global_manager` value. */
  public get globalManagerInput(): boolean | undefined {
    return this._globalManager;
  }

  /** Alias of this provider configuration. */
  public get alias(): string | undefined {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  /** Unset `alias`. */
  public resetAlias(): void {
    this._alias = undefined;
  }
  /** Configured `alias` value. */
  public get aliasInput(): string | undefined {
    return this._alias;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      host: cdktf.stringToTerraform(this._host),
      username: cdktf.stringToTerraform(this._username),
      password: cdktf.stringToTerraform(this._password),
      allow_unverified_ssl: cdktf.booleanToTerraform(this._allowUnverifiedSsl),
      ca_file: cdktf.stringToTerraform(this._caFile),
      client_auth_cert_file: cdktf.stringToTerraform(this._clientAuthCertFile),
      client_auth_key_file: cdktf.stringToTerraform(this._clientAuthKeyFile),
      remote_auth: cdktf.booleanToTerraform(this._remoteAuth),
      max_retries: cdktf.numberToTerraform(this._maxRetries),
      retry_min_delay: cdktf.numberToTerraform(this._retryMinDelay),
      retry_max_delay: cdktf.numberToTerraform(this._retryMaxDelay),
      retry_on_status_codes: cdktf.listMapper(cdktf.numberToTerraform, false)(this._retryOnStatusCodes),
      enforcement_point: cdktf.stringToTerraform(this._enforcementPoint),
      global_manager: cdktf.booleanToTerraform(this._globalManager),
      alias: cdktf.stringToTerraform(this._alias),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), {});
  }
}
