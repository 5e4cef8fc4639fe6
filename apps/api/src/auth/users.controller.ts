import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../common/params';
import { CurrentPrincipal } from './current-principal.decorator';
import { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { Permission, RequirePermission } from './permissions';
import type { Principal } from './principal';
import { UsersService } from './users.service';

@ApiTags('access')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: [UserDto] })
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Get(':id')
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: UserDto })
  get(@Param('id', uuidParam()) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Post()
  @RequirePermission(Permission.AccessManage)
  @ApiCreatedResponse({ type: UserDto, description: 'A local account (argon2id password hash). 409 if the email exists.' })
  create(@Body() body: CreateUserDto, @CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return this.users.create(body, principal.label);
  }

  @Patch(':id')
  @RequirePermission(Permission.AccessManage)
  @ApiOkResponse({ type: UserDto, description: 'A new role or password ends the user’s sessions.' })
  update(@Param('id', uuidParam()) id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, body);
  }

  @Delete(':id')
  @RequirePermission(Permission.AccessManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Disables the account and ends its sessions; it stays on record. 409 for the last active admin.' })
  disable(@Param('id', uuidParam()) id: string): Promise<void> {
    return this.users.disable(id);
  }
}
