package dev.effort.server.store;

import java.util.List;
import java.util.Optional;

/** The clients' API keys. Secrets are issued once and only their hashes are kept. */
public interface ApiKeys {

  /**
   * Creates a key and returns its secret ({@code ek_} and 32 URL-safe characters) with it.
   *
   * @throws IllegalArgumentException when an active key already has this name
   */
  IssuedKey create(KeySpec spec);

  /**
   * The key whose secret this is, revoked ones included (check {@link ApiKey#isRevoked()}), or
   * empty for a secret no key has. Answered from memory, for every request; a key created or
   * revoked by another process sharing the store is seen here within a quarter second.
   */
  Optional<ApiKey> authenticate(String secret);

  /** Every key, revoked ones included, oldest first. */
  List<ApiKey> list();

  /**
   * Marks a key revoked, now. Revoked keys stay listed, and their ledger rows keep pointing at
   * them. Revoking a revoked key changes nothing.
   *
   * @param idOrName a numeric id, or the name of an active key (else of the latest revoked one)
   * @return the key as it now is, or empty when no key has that id or name
   */
  Optional<ApiKey> revoke(String idOrName);

  /** Whether any key was ever created: a gateway with none may run without authentication. From memory, as {@link #authenticate}. */
  boolean anyKeys();
}
