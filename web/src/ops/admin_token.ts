// The admin token the operator typed, kept for this tab only (sessionStorage): sent as a bearer
// with changes (re-run, cancel, priors). Never shown back in full.
const kKey = "evapo.ops.admin_token";

export function loadAdminToken(): string {
  try {
    return sessionStorage.getItem(kKey) ?? "";
  } catch {
    return "";
  }
}

export function saveAdminToken(token: string): void {
  try {
    if (token) sessionStorage.setItem(kKey, token);
    else sessionStorage.removeItem(kKey);
  } catch {
    // storage refused (private mode): the token stays for this page only
  }
}
