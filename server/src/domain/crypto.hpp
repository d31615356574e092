#pragma once
// Secrets: password hashing (argon2id), bearer tokens and their hashes. libsodium.

#include <string>
#include <string_view>

namespace slotlock {

// Initialises libsodium once; every function here calls it.
void ensure_crypto();

std::string hash_password(std::string_view password);  // argon2id, libsodium's string format
bool verify_password(std::string_view hash, std::string_view password);

// 32 random bytes, URL-safe base64 without padding.
std::string random_token();
// Hex SHA-256 of a token: what the store keeps instead of the token.
std::string token_hash(std::string_view token);

}  // namespace slotlock
