#pragma once
// Stands for the store implementation that routes.cpp must not see.
